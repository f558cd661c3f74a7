// Command act-servers runs nektos/act's own implementations of the GitHub
// Actions cache service (v1 protocol, pkg/artifactcache) and artifact service
// (v4 protocol, pkg/artifacts) on 127.0.0.1, for the tests. It prints one line,
// `READY <base URL>`, once the server listens, and runs until killed.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/nektos/act/pkg/artifactcache"
	"github.com/nektos/act/pkg/artifacts"
	"github.com/sirupsen/logrus"
)

func main() {
	serve := flag.String("serve", "cache", "cache or artifacts")
	dir := flag.String("dir", "", "folder for the stored data")
	port := flag.Int("port", 0, "port on 127.0.0.1 (0: any free port)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "act-servers: -dir is required")
		os.Exit(2)
	}
	logger := logrus.New()
	logger.SetOutput(os.Stderr)
	switch *serve {
	case "cache":
		h, err := artifactcache.StartHandler(*dir, "", "127.0.0.1", uint16(*port), logger)
		if err != nil {
			fmt.Fprintln(os.Stderr, "act-servers:", err)
			os.Exit(1)
		}
		fmt.Printf("READY %s/\n", h.ExternalURL())
	case "artifacts":
		p := *port
		if p == 0 {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				fmt.Fprintln(os.Stderr, "act-servers:", err)
				os.Exit(1)
			}
			p = l.Addr().(*net.TCPAddr).Port
			l.Close()
		}
		artifacts.Serve(context.Background(), *dir, "127.0.0.1", fmt.Sprint(p))
		for i := 0; i < 100; i++ {
			if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
				c.Close()
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		fmt.Printf("READY http://127.0.0.1:%d/\n", p)
	default:
		fmt.Fprintln(os.Stderr, "act-servers: -serve must be cache or artifacts")
		os.Exit(2)
	}
	select {}
}
