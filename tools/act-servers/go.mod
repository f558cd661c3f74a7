module build-standalone/tools/act-servers

go 1.25.0

require (
	github.com/nektos/act v0.2.89
	github.com/sirupsen/logrus v1.9.3
)

require (
	github.com/golang-jwt/jwt/v5 v5.3.0 // indirect
	github.com/julienschmidt/httprouter v1.3.0 // indirect
	github.com/timshannon/bolthold v0.0.0-20240314194003-30aac6950928 // indirect
	go.etcd.io/bbolt v1.4.3 // indirect
	golang.org/x/sys v0.43.0 // indirect
	google.golang.org/protobuf v1.36.9 // indirect
)
