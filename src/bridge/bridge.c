/* bridge: the ports of docs/bridges.md around one simulator: listeners and
 * clients (socketcand, SLCAN over TCP), ptys (SLCAN, RS232 console), SocketCAN.
 * Bus frames are formatted into each port's output buffer as they happen (a
 * can_bus listener); input is polled without blocking from the run loop.
 */
#include "gtx/bridge.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge_os.h"
#include "gtx/bridge_proto.h"
#include "gtx/sim_view.h"

#define BRIDGE_MAX_PORTS 128
#define BRIDGE_MAX_CLIENTS 32    /* per listener: a flood on one cannot lock out another */
#define PORT_TX_SIZE 65536u      /* bytes waiting for a slow client; more are dropped */
#define PORT_RX_CHUNK 4096u      /* bytes read from one port per poll: a flood cannot stall */
#define POLL_EVERY_S 0.001       /* input is polled at most this often (wall clock) */
#define RAW_HOLD_S 0.1           /* frames wait after rawmode's < ok > (docs/spec/CAN.md) */
#define SOCKETCAN_READS 64       /* frames read from SocketCAN per poll */
#define CLOCK_EVERY 4u           /* bridge_poll calls per clock read: the clock costs a
                                  * system call on some machines (40 ms at --realtime) */

enum port_kind {
    PORT_SCD_LISTEN, PORT_SCD, PORT_SLCAN_LISTEN, PORT_SLCAN_TCP, PORT_SLCAN_PTY,
    PORT_SOCKETCAN, PORT_CONSOLE
};

struct bridge;

struct port {
    enum port_kind kind;
    struct bridge *b;
    int fd;
    int slave_fd;         /* ptys: held open (bridge_os_pty) */
    int pack;             /* console: 0-based */
    int tcp_port;         /* listeners */
    char name[96];        /* for messages: "socketcand client 127.0.0.1:40112" */
    struct bridge_scd scd;
    struct bridge_slcan slcan;
    uint8_t *tx;
    size_t tx_head, tx_len;
    size_t hold_mark;     /* socketcand: bytes before this may go out during the hold */
    double hold_until_s;
    bool blocked;         /* the last write did not finish: retry at the next poll */
    bool dead;
    uint32_t dropped;
};

struct bridge {
    FILE *log;
    bool quiet;
    char listen[64];
    struct port *port[BRIDGE_MAX_PORTS];
    int n_ports;
    struct sim *sim;
    int node;
    struct port *sending;      /* whose frame is on the bus right now (no echo to it) */
    struct port *bench_owner;  /* the client that turned the power stage on */
    double last_poll_s;
    double now_s;              /* the wall clock, read every CLOCK_EVERY calls */
    uint32_t calls;
};

static void say(struct bridge *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gtxsim: ", b->log);
    vfprintf(b->log, fmt, ap);
    fputc('\n', b->log);
    fflush(b->log);
    va_end(ap);
}

/* ---- option values ---- */

void bridge_opts_init(struct bridge_opts *o)
{
    memset(o, 0, sizeof *o);
}

static bool parse_port(const char *s, int *out)
{
    char *end = NULL;
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 65535)
        return false;
    *out = (int)v;
    return true;
}

bool bridge_parse_can(const char *v, struct bridge_spec *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (strcmp(v, "socketcand") == 0 || strncmp(v, "socketcand:", 11) == 0) {
        out->kind = BRIDGE_SPEC_SOCKETCAND;
        out->port = BRIDGE_SCD_DEFAULT_PORT;
        if (v[10] == ':' && !parse_port(v + 11, &out->port)) {
            snprintf(err, err_len, "--can socketcand:PORT needs a port 0-65535 (got '%s')",
                     v + 11);
            return false;
        }
        return true;
    }
    if (strcmp(v, "slcan") == 0 || strcmp(v, "slcan:pty") == 0) {
        out->kind = BRIDGE_SPEC_SLCAN_PTY;
        return true;
    }
    if (strncmp(v, "slcan:tcp:", 10) == 0) {
        out->kind = BRIDGE_SPEC_SLCAN_TCP;
        if (!parse_port(v + 10, &out->port)) {
            snprintf(err, err_len, "--can slcan:tcp:PORT needs a port 0-65535 (got '%s')",
                     v + 10);
            return false;
        }
        return true;
    }
    if (strncmp(v, "socketcan:", 10) == 0) {
        out->kind = BRIDGE_SPEC_SOCKETCAN;
        size_t n = strlen(v + 10);
        bool ok = n > 0 && n < sizeof out->iface;
        for (size_t i = 0; ok && i < n; i++) {
            char c = v[10 + i];
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
        }
        if (!ok) {
            snprintf(err, err_len, "--can socketcan:IFACE needs an interface name such as "
                     "can0 or vcan0 (got '%s')", v + 10);
            return false;
        }
        memcpy(out->iface, v + 10, n + 1);
        return true;
    }
    snprintf(err, err_len, "--can wants socketcand[:PORT], slcan, slcan:tcp:PORT or "
             "socketcan:IFACE (got '%s')", v);
    return false;
}

bool bridge_parse_console(const char *v, struct bridge_spec *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->kind = BRIDGE_SPEC_CONSOLE_PTY;
    out->pack = 1;
    if (strcmp(v, "pty") == 0)
        return true;
    if (strncmp(v, "pty:", 4) == 0 && v[4] >= '1' && v[4] <= '0' + SIM_MAX_PACKS &&
        v[5] == '\0') {
        out->pack = v[4] - '0';
        return true;
    }
    snprintf(err, err_len, "--console wants pty or pty:PACK with PACK 1-%d (got '%s')",
             SIM_MAX_PACKS, v);
    return false;
}

bool bridge_addr_is_loopback(const char *a)
{
    return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 || strcmp(a, "localhost") == 0;
}

bool bridge_opts_add(struct bridge_opts *o, const char *option, const char *value, char *err,
                     size_t err_len)
{
    struct bridge_spec sp;
    if (!value) {
        snprintf(err, err_len, "%s needs a value", option);
        return false;
    }
    if (strcmp(option, "--listen") == 0) {
        if (!*value || strlen(value) >= 64) {
            snprintf(err, err_len, "--listen needs a numeric address such as 127.0.0.1");
            return false;
        }
        o->listen = value;
        return true;
    }
    bool can = strcmp(option, "--can") == 0;
    if (!can && strcmp(option, "--console") != 0) {
        snprintf(err, err_len, "unknown bridge option '%s'", option);
        return false;
    }
    if (!(can ? bridge_parse_can(value, &sp, err, err_len)
              : bridge_parse_console(value, &sp, err, err_len)))
        return false;
    int *n = can ? &o->n_can : &o->n_console;
    if (*n >= BRIDGE_MAX_SPECS) {
        snprintf(err, err_len, "at most %d %s options", BRIDGE_MAX_SPECS, option);
        return false;
    }
    (can ? o->can : o->console)[(*n)++] = value;
    return true;
}

bool bridge_opts_any(const struct bridge_opts *o)
{
    return o->n_can > 0 || o->n_console > 0;
}

/* ---- ports ---- */

static struct port *port_new(struct bridge *b, enum port_kind kind, int fd, const char *name)
{
    if (b->n_ports >= BRIDGE_MAX_PORTS)
        return NULL;
    struct port *p = calloc(1, sizeof *p);
    bool buffered = kind != PORT_SCD_LISTEN && kind != PORT_SLCAN_LISTEN &&
                    kind != PORT_SOCKETCAN;
    if (!p || (buffered && !(p->tx = malloc(PORT_TX_SIZE)))) {
        free(p);
        return NULL;
    }
    p->kind = kind;
    p->b = b;
    p->fd = fd;
    p->slave_fd = -1;
    snprintf(p->name, sizeof p->name, "%s", name);
    bridge_scd_init(&p->scd);
    bridge_slcan_init(&p->slcan);
    b->port[b->n_ports++] = p;
    return p;
}

static void port_free(struct port *p)
{
    if (p->fd >= 0)
        close(p->fd);
    if (p->slave_fd >= 0)
        close(p->slave_fd);
    free(p->tx);
    free(p);
}

static void port_kill(struct port *p, const char *why)
{
    struct bridge *b = p->b;
    if (p->dead)
        return;
    p->dead = true;
    if (!b->quiet)
        say(b, "%s %s", p->name, why);
    if (b->bench_owner == p) {
        b->bench_owner = NULL;
        if (b->sim) {
            sim_external_off(b->sim);
            say(b, "bench power stage off (its client left)");
        }
    }
}

/* Appends whole messages only: a client must never see half a frame. */
static bool tx_append(struct port *p, const void *data, size_t n)
{
    if (!p->tx || p->dead)
        return false;
    if (p->tx_len + n > PORT_TX_SIZE && p->tx_head > 0) {
        memmove(p->tx, p->tx + p->tx_head, p->tx_len - p->tx_head);
        p->hold_mark = p->hold_mark > p->tx_head ? p->hold_mark - p->tx_head : 0;
        p->tx_len -= p->tx_head;
        p->tx_head = 0;
    }
    if (p->tx_len + n > PORT_TX_SIZE) {
        p->dropped++;
        return false;
    }
    memcpy(p->tx + p->tx_len, data, n);
    p->tx_len += n;
    return true;
}

static bool is_socket(const struct port *p)
{
    return p->kind == PORT_SCD || p->kind == PORT_SLCAN_TCP;
}

static void port_flush(struct port *p, double now)
{
    if (p->dead || p->blocked || p->tx_head >= p->tx_len)
        return;
    size_t end = p->tx_len;
    if (now < p->hold_until_s && p->hold_mark < end)
        end = p->hold_mark;
    if (end <= p->tx_head)
        return;
    size_t want = end - p->tx_head;
    ssize_t n = is_socket(p) ? send(p->fd, p->tx + p->tx_head, want, MSG_NOSIGNAL | MSG_DONTWAIT)
                             : write(p->fd, p->tx + p->tx_head, want);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            p->blocked = true;
        else
            port_kill(p, "lost (write failed)");
        return;
    }
    p->tx_head += (size_t)n;
    if ((size_t)n < want)
        p->blocked = true;
    if (p->tx_head == p->tx_len)
        p->tx_head = p->tx_len = p->hold_mark = 0;
}

/* ---- frames between the bus and the ports ---- */

static bool bench_command(struct bridge *b, struct port *p, const struct board_can_frame *f,
                          char *err, size_t err_len)
{
    struct bridge_bench_cmd c;
    if (!bridge_bench_decode(f, &c, err, err_len)) {
        say(b, "%s: %s", p->name, err);
        return false;
    }
    if (c.on)
        sim_external_set(b->sim, c.current_a, c.v_max_v, c.v_min_v);
    else
        sim_external_off(b->sim);
    b->bench_owner = c.on ? p : NULL;
    return true;
}

/* A frame a client sent: onto the simulated bus, or to the bench. */
static bool port_frame(void *ctx, const struct board_can_frame *f, char *err, size_t err_len)
{
    struct port *p = ctx;
    struct bridge *b = p->b;
    if (!b->sim)
        return true; /* between two simulations: nobody is on the bus */
    if (bridge_bench_is_for_bench(f))
        return bench_command(b, p, f, err, err_len);
    if (b->node < 0) {
        snprintf(err, err_len, "the simulated bus has no room for the bridge");
        return false;
    }
    b->sending = p;
    sim_can_send(b->sim, b->node, f);
    b->sending = NULL;
    return true;
}

static void port_reply(void *ctx, const char *text, size_t len)
{
    tx_append(ctx, text, len);
}

static void on_bus_frame(void *ctx, int from, uint64_t t_us, const struct board_can_frame *f)
{
    struct bridge *b = ctx;
    if (!b->sim)
        return;
    char line[BRIDGE_SCD_FRAME_MAX];
    for (int i = 0; i < b->n_ports; i++) {
        struct port *p = b->port[i];
        if (p->dead || (from == b->node && p == b->sending))
            continue;
        size_t n = 0;
        switch (p->kind) {
        case PORT_SCD:
            if (p->scd.state == BRIDGE_SCD_RAW)
                n = bridge_scd_format_frame(line, sizeof line, t_us, f);
            break;
        case PORT_SLCAN_TCP:
        case PORT_SLCAN_PTY:
            if (p->slcan.open)
                n = bridge_slcan_format_frame(&p->slcan, line, sizeof line, t_us, f);
            break;
        case PORT_SOCKETCAN:
            if (!bridge_socketcan_write(p->fd, f))
                p->dropped++;
            break;
        default:
            break;
        }
        if (n)
            tx_append(p, line, n);
    }
}

/* ---- input ---- */

static void read_protocol(struct bridge *b, struct port *p, double now)
{
    uint8_t buf[PORT_RX_CHUNK];
    ssize_t n = is_socket(p) ? recv(p->fd, buf, sizeof buf, 0) : read(p->fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        port_kill(p, n == 0 ? "disconnected" : "lost (read failed)");
        return;
    }
    if (n < 0)
        return;
    struct bridge_proto_io io = {.ctx = p, .reply = port_reply, .frame = port_frame};
    if (p->kind == PORT_SCD) {
        enum bridge_scd_state was = p->scd.state;
        bridge_scd_input(&p->scd, buf, (size_t)n, &io);
        if (was != BRIDGE_SCD_RAW && p->scd.state == BRIDGE_SCD_RAW) {
            /* python-can reads rawmode's < ok > with one recv and compares it
             * whole: give it time before the first frame follows. */
            p->hold_mark = p->tx_len;
            p->hold_until_s = now + RAW_HOLD_S;
        }
        return;
    }
    bool was_open = p->slcan.open;
    size_t mark = p->tx_len;
    bridge_slcan_input(&p->slcan, buf, (size_t)n, &io);
    if (p->kind == PORT_SLCAN_PTY && was_open != p->slcan.open) {
        /* A new client opens (or one closes): frames a departed client left
         * unread in the pty or our buffer are stale. Keep this chunk's replies. */
        bridge_os_flush_input(p->slave_fd);
        memmove(p->tx, p->tx + mark, p->tx_len - mark);
        p->tx_len -= mark;
        p->tx_head = p->hold_mark = 0;
    }
    (void)b;
}

static void accept_clients(struct bridge *b, struct port *l)
{
    for (int k = 0; k < 8; k++) {
        char peer[64], name[96];
        int fd = bridge_os_accept(l->fd, peer, sizeof peer);
        if (fd < 0)
            return;
        bool scd = l->kind == PORT_SCD_LISTEN;
        enum port_kind kind = scd ? PORT_SCD : PORT_SLCAN_TCP;
        snprintf(name, sizeof name, "%s client %s", scd ? "socketcand" : "SLCAN", peer);
        int clients = 0;
        for (int i = 0; i < b->n_ports; i++)
            clients += b->port[i]->kind == kind && !b->port[i]->dead;
        struct port *p = clients < BRIDGE_MAX_CLIENTS ? port_new(b, kind, fd, name) : NULL;
        if (!p) {
            static const char full[] = " < error too many clients >";
            if (scd)
                (void)!send(fd, full, sizeof full - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            close(fd);
            say(b, "refused %s: too many clients", name);
            continue;
        }
        if (!b->quiet)
            say(b, "%s connected", name);
        if (scd)
            tx_append(p, "< hi >", 6); /* alone: the client compares it whole */
    }
}

static void read_console(struct bridge *b, struct port *p, struct sim *s)
{
    if (b->sim != s || p->pack >= sim_view_pack_count(s)) {
        uint8_t junk[PORT_RX_CHUNK]; /* no such pack here: the bytes go nowhere */
        if (read(p->fd, junk, sizeof junk) < 0 && errno != EAGAIN && errno != EINTR)
            port_kill(p, "lost (read failed)");
        return;
    }
    size_t room = sim_console_room(s, p->pack);
    uint8_t buf[PORT_RX_CHUNK];
    if (room > sizeof buf)
        room = sizeof buf;
    if (room == 0)
        return; /* the firmware reads on; the rest waits in the pty */
    ssize_t n = read(p->fd, buf, room);
    if (n > 0)
        sim_console_write(s, p->pack, buf, (size_t)n);
    else if (n < 0 && errno != EAGAIN && errno != EINTR)
        port_kill(p, "lost (read failed)");
}

static void read_socketcan(struct port *p)
{
    for (int k = 0; k < SOCKETCAN_READS; k++) {
        struct board_can_frame f;
        int r = bridge_socketcan_read(p->fd, &f);
        if (r < 0) {
            port_kill(p, "lost (read failed)");
            return;
        }
        if (r == 0)
            return;
        char err[BRIDGE_ERR_MAX];
        port_frame(p, &f, err, sizeof err);
    }
}

static void poll_inputs(struct bridge *b, struct sim *s, double now)
{
    struct pollfd fds[BRIDGE_MAX_PORTS];
    int n = b->n_ports;
    for (int i = 0; i < n; i++) {
        fds[i] = (struct pollfd){.fd = b->port[i]->dead ? -1 : b->port[i]->fd, .events = POLLIN};
        b->port[i]->blocked = false;
    }
    if (poll(fds, (nfds_t)n, 0) <= 0)
        return;
    for (int i = 0; i < n; i++) {
        struct port *p = b->port[i];
        if (p->dead || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        switch (p->kind) {
        case PORT_SCD_LISTEN:
        case PORT_SLCAN_LISTEN:
            accept_clients(b, p);
            break;
        case PORT_SCD:
        case PORT_SLCAN_TCP:
        case PORT_SLCAN_PTY:
            read_protocol(b, p, now);
            break;
        case PORT_CONSOLE:
            read_console(b, p, s);
            break;
        case PORT_SOCKETCAN:
            read_socketcan(p);
            break;
        }
    }
}

/* The firmware's console replies, every tick: the simulator clears an unread
 * console wire once it is half full. */
static void collect_console(struct port *p, struct sim *s)
{
    uint8_t buf[1024];
    size_t n;
    while ((n = sim_view_console_read(s, p->pack, buf, sizeof buf)) > 0)
        tx_append(p, buf, n);
}

static void sweep(struct bridge *b)
{
    int k = 0;
    for (int i = 0; i < b->n_ports; i++) {
        if (b->port[i]->dead)
            port_free(b->port[i]);
        else
            b->port[k++] = b->port[i];
    }
    b->n_ports = k;
}

void bridge_poll(struct bridge *b, struct sim *s)
{
    if (!b)
        return;
    if (b->sim == s && b->node >= 0) {
        struct board_can_frame f; /* we hear the bus through the listener: empty the queue */
        while (sim_can_recv(s, b->node, &f)) {
        }
    }
    for (int i = 0; i < b->n_ports; i++)
        if (b->port[i]->kind == PORT_CONSOLE && b->sim == s && !b->port[i]->dead)
            collect_console(b->port[i], s);
    if (b->calls++ % CLOCK_EVERY == 0)
        b->now_s = bridge_os_now_s();
    double now = b->now_s;
    if (now - b->last_poll_s >= POLL_EVERY_S) {
        b->last_poll_s = now;
        poll_inputs(b, s, now);
    }
    for (int i = 0; i < b->n_ports; i++)
        port_flush(b->port[i], now);
    sweep(b);
}

/* ---- life cycle ---- */

static int open_spec(struct bridge *b, const struct bridge_spec *sp, char *err, size_t err_len)
{
    char name[96], path[64];
    int fd = -1, slave = -1, actual = 0;
    struct port *p = NULL;
    switch (sp->kind) {
    case BRIDGE_SPEC_SOCKETCAND:
    case BRIDGE_SPEC_SLCAN_TCP: {
        bool scd = sp->kind == BRIDGE_SPEC_SOCKETCAND;
        if ((fd = bridge_os_listen(b->listen, sp->port, &actual, err, err_len)) < 0)
            return -1;
        snprintf(name, sizeof name, "%s listener", scd ? "socketcand" : "SLCAN");
        if (!(p = port_new(b, scd ? PORT_SCD_LISTEN : PORT_SLCAN_LISTEN, fd, name)))
            break;
        p->tcp_port = actual;
        if (scd)
            say(b, "socketcand on %s:%d, bus can0 (python-can: interface socketcand, "
                "channel can0)", b->listen, actual);
        else
            say(b, "SLCAN on tcp %s:%d (pyserial: socket://%s:%d)", b->listen, actual,
                b->listen, actual);
        return 0;
    }
    case BRIDGE_SPEC_SLCAN_PTY:
    case BRIDGE_SPEC_CONSOLE_PTY: {
        if ((fd = bridge_os_pty(&slave, path, sizeof path, err, err_len)) < 0)
            return -1;
        bool slcan = sp->kind == BRIDGE_SPEC_SLCAN_PTY;
        if (slcan)
            snprintf(name, sizeof name, "SLCAN device %s", path);
        else
            snprintf(name, sizeof name, "pack %d console %s", sp->pack, path);
        if (!(p = port_new(b, slcan ? PORT_SLCAN_PTY : PORT_CONSOLE, fd, name))) {
            close(slave);
            break;
        }
        p->slave_fd = slave;
        p->pack = sp->pack - 1;
        if (slcan)
            say(b, "SLCAN on %s (python-can: interface slcan, channel %s)", path, path);
        else
            say(b, "pack %d RS232 console on %s", sp->pack, path);
        return 0;
    }
    case BRIDGE_SPEC_SOCKETCAN:
        if ((fd = bridge_socketcan_open(sp->iface, err, err_len)) < 0)
            return -1;
        snprintf(name, sizeof name, "SocketCAN %s", sp->iface);
        if (!(p = port_new(b, PORT_SOCKETCAN, fd, name)))
            break;
        say(b, "SocketCAN on %s", sp->iface);
        return 0;
    }
    close(fd);
    snprintf(err, err_len, "out of memory or too many ports");
    return -1;
}

struct bridge *bridge_open(const struct bridge_opts *o, char *err, size_t err_len)
{
    struct bridge *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    b->log = o->log ? o->log : stderr;
    b->quiet = o->quiet;
    b->node = -1;
    snprintf(b->listen, sizeof b->listen, "%s", o->listen ? o->listen : BRIDGE_DEFAULT_LISTEN);
    bool any_tcp = false;
    for (int pass = 0; pass < 2; pass++) {
        int n = pass == 0 ? o->n_can : o->n_console;
        for (int i = 0; i < n; i++) {
            struct bridge_spec sp;
            bool ok = pass == 0 ? bridge_parse_can(o->can[i], &sp, err, err_len)
                                : bridge_parse_console(o->console[i], &sp, err, err_len);
            if (!ok || open_spec(b, &sp, err, err_len) != 0) {
                bridge_close(b);
                return NULL;
            }
            any_tcp |= sp.kind == BRIDGE_SPEC_SOCKETCAND || sp.kind == BRIDGE_SPEC_SLCAN_TCP;
        }
    }
    if (any_tcp && !bridge_addr_is_loopback(b->listen))
        say(b, "warning: listening on %s: anyone who can reach this address can read the "
            "bus and drive the simulated battery; there is no authentication",
            b->listen);
    return b;
}

void bridge_attach(struct bridge *b, struct sim *s)
{
    if (!b)
        return;
    b->sim = s;
    b->node = sim_can_attach(s);
    if (b->node < 0)
        say(b, "warning: the simulated CAN bus is full: clients cannot send");
    if (!sim_can_listen(s, on_bus_frame, b))
        say(b, "warning: the simulated CAN bus has no room for another listener");
    int packs = sim_view_pack_count(s);
    for (int i = 0; i < b->n_ports; i++)
        if (b->port[i]->kind == PORT_CONSOLE && b->port[i]->pack >= packs)
            say(b, "warning: %s: this scenario has %d pack%s, the console stays silent",
                b->port[i]->name, packs, packs == 1 ? "" : "s");
}

void bridge_detach(struct bridge *b, struct sim *s)
{
    if (!b || b->sim != s)
        return;
    if (b->bench_owner)
        sim_external_off(s);
    bridge_poll(b, s); /* the last frames and console bytes out */
    b->bench_owner = NULL;
    b->sim = NULL;
    b->node = -1;
}

void bridge_close(struct bridge *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n_ports; i++)
        port_free(b->port[i]);
    free(b);
}

int bridge_tcp_port(const struct bridge *b, enum bridge_spec_kind kind)
{
    enum port_kind want = kind == BRIDGE_SPEC_SOCKETCAND ? PORT_SCD_LISTEN : PORT_SLCAN_LISTEN;
    for (int i = 0; b && i < b->n_ports; i++)
        if (b->port[i]->kind == want)
            return b->port[i]->tcp_port;
    return -1;
}

void bridge_hook_start(void *ctx, struct sim *s)
{
    bridge_attach(ctx, s);
}

void bridge_hook_tick(void *ctx, struct sim *s)
{
    bridge_poll(ctx, s);
}

void bridge_hook_end(void *ctx, struct sim *s)
{
    bridge_detach(ctx, s);
}
