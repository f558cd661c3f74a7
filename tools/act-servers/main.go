// Command act-servers runs nektos/act's own implementations of the GitHub
// Actions cache service (v1 protocol, pkg/artifactcache) and artifact service
// (v4 protocol, pkg/artifacts) on 127.0.0.1, for the tests. It prints one line,
// `READY <base URL>`, once the server listens, and runs until killed.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
		// act's artifact server, on a private port ...
		inner := freePort()
		artifacts.Serve(context.Background(), *dir, "127.0.0.1", strconv.Itoa(inner))
		waitFor(inner)
		// ... behind a proxy that bridges three gaps between act v0.2.89 and @actions/artifact 6, and
		// passes everything else to act unchanged: CreateArtifact's mime_type field (unknown to act),
		// the signature padding the Azure SDK drops, and ListArtifacts on a run without artifacts.
		target, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", inner))
		proxy := httputil.NewSingleHostReverseProxy(target)
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/CreateArtifact") {
				body, _ := io.ReadAll(r.Body)
				var msg map[string]any
				if json.Unmarshal(body, &msg) == nil {
					delete(msg, "mimeType")
					delete(msg, "mime_type")
					body, _ = json.Marshal(msg)
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
				r.Header.Set("Content-Length", strconv.Itoa(len(body)))
			}
			if strings.HasSuffix(r.URL.Path, "/UploadArtifact") {
				// The Azure SDK of @actions/artifact 6 drops the '=' padding of act's base64 signature.
				q := r.URL.Query()
				if sig := q.Get("sig"); sig != "" && len(sig)%4 != 0 {
					q.Set("sig", sig+strings.Repeat("=", 4-len(sig)%4))
					r.URL.RawQuery = q.Encode()
				}
			}
			if strings.HasSuffix(r.URL.Path, "/ListArtifacts") {
				// act panics when the run has no artifacts yet; GitHub answers with an empty list.
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				var msg struct {
					Run      string `json:"workflowRunBackendId"`
					RunProto string `json:"workflow_run_backend_id"`
				}
				if json.Unmarshal(body, &msg) == nil {
					run := msg.Run + msg.RunProto
					if _, err := strconv.ParseInt(run, 10, 64); err == nil {
						if _, err := os.Stat(filepath.Join(*dir, run)); os.IsNotExist(err) {
							w.Header().Set("Content-Type", "application/json")
							_, _ = w.Write([]byte(`{"artifacts":[]}`))
							return
						}
					}
				}
			}
			logger.Infof("%s %s", r.Method, r.URL.RequestURI())
			proxy.ServeHTTP(w, r)
		})
		p := *port
		if p == 0 {
			p = freePort()
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			fmt.Fprintln(os.Stderr, "act-servers:", err)
			os.Exit(1)
		}
		go func() { _ = http.Serve(l, handler) }()
		fmt.Printf("READY http://127.0.0.1:%d/\n", p)
	default:
		fmt.Fprintln(os.Stderr, "act-servers: -serve must be cache or artifacts")
		os.Exit(2)
	}
	select {}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "act-servers:", err)
		os.Exit(1)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitFor(port int) {
	for i := 0; i < 250; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
