/* cli_net.h - the network commands of the CLI (cli_net.c): address, serve,
 * peer, sync, and `init --join`. cli.c lists them in its command table with
 * the one row CLI_NET_COMMANDS, so the help text lives here with the code. */
#ifndef MV_CLI_NET_H
#define MV_CLI_NET_H

#include "ui/cli_priv.h"

int cli_net_address(struct cli *c, int argc, char **argv);
int cli_net_serve(struct cli *c, int argc, char **argv);
int cli_net_peer(struct cli *c, int argc, char **argv);
int cli_net_sync(struct cli *c, int argc, char **argv);

/* `init --join ADDRESS`: create the home from a peer. */
int cli_net_join(struct cli *c, const char *address);
/* After `init NETWORK`: make the node's TLS key and certificate. Returns
 * CLI_EXIT_OK or reports the error. */
int cli_net_node_init(struct cli *c);

extern const struct cli_opt cli_net_address_opts[];
extern const struct cli_opt cli_net_serve_opts[];

#define CLI_NET_COMMANDS \
	{"address", "print this node's address for peers", "[--listen HOST:PORT]", \
	 "The address is https://HOST:PORT#sha256//PIN: where the node listens (the last\n" \
	 "--listen given to `serve` or here, default 127.0.0.1:7420) and the pin of its TLS\n" \
	 "key (made on first use, kept in HOME/node/). Give it to peers: `peer add ADDRESS`.", \
	 cli_net_address_opts, 0, 0, cli_net_address, NULL}, \
	{"serve", "run the HTTPS node in the foreground", \
	 "[--listen HOST:PORT] [--interval SECONDS] [--limits LIST]", \
	 "Serves /v1/info, /v1/ops/since, /v1/ops and /v1/blobs (docs/protocol.md) and syncs\n" \
	 "with every known peer every --interval seconds (default 10). One log line per\n" \
	 "request and per sync on stdout; SIGINT or SIGTERM stops it cleanly. --limits takes\n" \
	 "NAME=N,... over the defaults body=5242880 conn=64 per_ip=16 rate=50 burst=100\n" \
	 "idle=10 request=60 threads=2 (bytes, connections, requests/s, seconds).", \
	 cli_net_serve_opts, 0, 0, cli_net_serve, NULL}, \
	{"peer", "known peers: add, list, remove", "add ADDRESS | list | remove ADDRESS", \
	 "ADDRESS is a node address (see `mentalverse address`). `list` shows each peer's\n" \
	 "status, last contact and how many ops it had that we lacked (behind) and we had\n" \
	 "that it lacked (ahead) at that contact.", NULL, 1, 2, cli_net_peer, NULL}, \
	{"sync", "pull then push with peers now", "[PEER ...]", \
	 "Syncs with the given peers (addresses, or HOST:PORT of a known peer), or with every\n" \
	 "known peer. Exit 1 if any sync failed (e.g. \"peer key changed\").", \
	 NULL, 0, -1, cli_net_sync, NULL},

#endif
