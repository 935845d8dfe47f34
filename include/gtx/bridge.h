/* bridge.h: the simulator's ports to the outside world (docs/bridges.md): the
 * inverter CAN bus as a socketcand server, an SLCAN device (pty or TCP) or a
 * SocketCAN interface, and a pack's RS232 console on a pty. Everything is
 * non-blocking and polled from the simulation loop; no threads.
 *
 * Use (gtxsim run and the window alike):
 *   struct bridge_opts o; bridge_opts_init(&o);
 *   bridge_opts_add(&o, "--can", "socketcand", err, n);     for each option given
 *   struct bridge *b = bridge_open(&o, err, n);              opens sockets/ptys, prints paths
 *   bridge_attach(b, sim);        once the simulator is set up (again after a new sim)
 *   bridge_poll(b, sim);          after every sim_step
 *   bridge_detach(b, sim);        before the simulator is discarded
 *   bridge_close(b);
 */
#ifndef GTX_BRIDGE_H
#define GTX_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gtx/sim.h"

#define BRIDGE_MAX_SPECS 4
#define BRIDGE_SCD_DEFAULT_PORT 29536
#define BRIDGE_DEFAULT_LISTEN "127.0.0.1"

struct bridge_opts {
    const char *can[BRIDGE_MAX_SPECS];     /* --can values, as given */
    int n_can;
    const char *console[BRIDGE_MAX_SPECS]; /* --console values */
    int n_console;
    const char *listen;                    /* --listen; NULL: 127.0.0.1 */
    FILE *log;                             /* paths, connections, errors; NULL: stderr */
    bool quiet;                            /* no connect/disconnect lines */
};

/* One parsed --can / --console value. */
enum bridge_spec_kind {
    BRIDGE_SPEC_SOCKETCAND, BRIDGE_SPEC_SLCAN_PTY, BRIDGE_SPEC_SLCAN_TCP,
    BRIDGE_SPEC_SOCKETCAN, BRIDGE_SPEC_CONSOLE_PTY
};
struct bridge_spec {
    enum bridge_spec_kind kind;
    int port;        /* TCP port (0: any free one) */
    int pack;        /* console: 1-based */
    char iface[16];  /* socketcan */
};

void bridge_opts_init(struct bridge_opts *o);
/* option is "--can", "--console" or "--listen"; value is kept by pointer.
 * Returns false with a message (without "error: ") in err for a bad value. */
bool bridge_opts_add(struct bridge_opts *o, const char *option, const char *value, char *err,
                     size_t err_len);
bool bridge_opts_any(const struct bridge_opts *o); /* any port asked for */

bool bridge_parse_can(const char *value, struct bridge_spec *out, char *err, size_t err_len);
bool bridge_parse_console(const char *value, struct bridge_spec *out, char *err,
                          size_t err_len);
/* Is this numeric address a loopback one (no warning needed)? */
bool bridge_addr_is_loopback(const char *addr);

struct bridge;

/* Opens every listener, pty and interface and prints where they are. NULL with
 * the reason in err when one cannot be opened (port taken, no AF_CAN ...). */
struct bridge *bridge_open(const struct bridge_opts *o, char *err, size_t err_len);
/* Joins the simulator's CAN bus (one node) and its packs' consoles. Call once
 * per simulator instance. */
void bridge_attach(struct bridge *b, struct sim *s);
/* Moves bytes and frames both ways; cheap enough for every tick (it makes its
 * system calls at most every millisecond of wall time, and when output waits). */
void bridge_poll(struct bridge *b, struct sim *s);
/* Leaves the simulator (turns the outside power stage off). The bridge keeps
 * its clients for the next bridge_attach. */
void bridge_detach(struct bridge *b, struct sim *s);
void bridge_close(struct bridge *b);

/* The same as hooks for struct scn_run_opts (ctx: the struct bridge *). */
void bridge_hook_start(void *ctx, struct sim *s);
void bridge_hook_tick(void *ctx, struct sim *s);
void bridge_hook_end(void *ctx, struct sim *s);

/* The actual TCP port of the first listener of that kind (after port 0), or -1. */
int bridge_tcp_port(const struct bridge *b, enum bridge_spec_kind kind);

#endif
