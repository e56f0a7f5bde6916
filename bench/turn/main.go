// Command bench-turn measures how fast a TURN server grants allocations: N
// allocations over CONCURRENCY workers, each a fresh UDP socket, a
// long-term-credential Allocate and a release (Refresh with lifetime 0), the
// same pion/turn client against every server. Prints "name value" lines for
// scripts/bench.sh.
//
//	bench-turn SERVER_ADDR USER PASSWORD N CONCURRENCY
package main

import (
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/turn/v5"
)

func allocateOnce(server, user, password string) error {
	conn, err := net.ListenPacket("udp4", "0.0.0.0:0") //nolint:noctx
	if err != nil {
		return err
	}
	defer conn.Close()
	client, err := turn.NewClient(&turn.ClientConfig{
		STUNServerAddr: server, TURNServerAddr: server, Conn: conn,
		Username: user, Password: password, RTO: 500 * time.Millisecond,
	})
	if err != nil {
		return err
	}
	defer client.Close()
	if err := client.Listen(); err != nil {
		return err
	}
	relay, err := client.Allocate()
	if err != nil {
		return err
	}

	return relay.Close()
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: bench-turn SERVER_ADDR USER PASSWORD N CONCURRENCY")
		os.Exit(2)
	}
	server, user, password := os.Args[1], os.Args[2], os.Args[3]
	n, _ := strconv.Atoi(os.Args[4])
	workers, _ := strconv.Atoi(os.Args[5])
	var next, failures atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				t := time.Now()
				if err := allocateOnce(server, user, password); err != nil {
					failures.Add(1)

					continue
				}
				mu.Lock()
				latencies = append(latencies, time.Since(t))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	median := 0.0
	if len(latencies) > 0 {
		median = float64(latencies[len(latencies)/2].Microseconds()) / 1000
	}
	fmt.Printf("allocs_per_s %.0f\n", float64(len(latencies))/elapsed.Seconds())
	fmt.Printf("alloc_release_median_ms %.2f\n", median)
	fmt.Printf("alloc_failures %d\n", failures.Load())
}
