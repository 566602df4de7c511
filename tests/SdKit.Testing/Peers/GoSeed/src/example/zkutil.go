// Package example is the seed's "zkutil" (the ZooKeeper helpers of the seed's distributed time server).
//
// Everything below the marker line is the seed's code, copied unchanged. The seed shows the three functions but not
// the package clause, the imports, or the two names they use (hosts, timeOut); those are supplied above the marker,
// with the values the seed's own first example uses (port 2183, a 10-second session), on the loopback address.
package example

import (
	"fmt"
	"time"

	zk "github.com/samuel/go-zookeeper/zk"
)

var hosts = []string{"127.0.0.1:2183"}

const timeOut = 10

// ---- the seed's code, unchanged, from here on ----

func GetConnect() (conn *zk.Conn, err error) {
	conn, _, err = zk.Connect(hosts, timeOut*time.Second)
	if err != nil {
		fmt.Println(err)
	}
	return
}

func RegistServer(conn *zk.Conn, host string) (err error) {
	_, err = conn.Create("/go_servers/"+host, nil, zk.FlagEphemeral, zk.WorldACL(zk.PermAll))
	return
}

func GetServerList(conn *zk.Conn) (list []string, err error) {
	list, _, err = conn.Children("/go_servers")
	return
}
