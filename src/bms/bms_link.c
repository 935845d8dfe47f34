/* bms_link.c: the parallel link (docs/link-protocol.md). Store-and-forward frames
 * with a CRC over the two RS485 Link Ports: wake-up and automatic coding with the
 * wiring checks of R-PA-2, the master's poll rounds and R-PA-3 aggregation, the
 * lost-slave alarm, and the R-BT-3 shutdown order (slaves last to first, master last).
 */
#include <string.h>

#include "bms_core.h"
#include "bms_crc.h"

#define SOF 0xA5u
#define HDR 6u          /* SOF type src dst aux len */
#define CRC_LEN 2u
#define DST_ALL 0xFFu
#define AUX_FROM_OUT 0x01u /* WAKE: the sender sent it on its Link Port Out */

/* Frame types (docs/link-protocol.md has the table). */
enum link_type {
    T_WAKE = 1,     /* flood: start; src = the sender's ID; aux: sender port */
    T_HELLO = 2,    /* up: a woken slave announces its ID */
    T_POLL = 3,     /* down: the master asks slave dst */
    T_REPLY = 4,    /* up: the slave's report */
    T_RUN = 5,      /* down, to all: coding done; aux = pack count */
    T_FAIL = 6,     /* flood: coding failed */
    T_SHUT = 7,     /* down: slave dst shuts down now (R-BT-3) */
    T_SHUT_ACK = 8, /* up: slave src has begun its shutdown */
    T_SHUT_ALL = 9, /* flood: every pack with a failed coding shuts down (restart) */
    T_ANNOUNCE = 10, /* up: a slave whose master is lost is still running (R-PA-3) */
};

#define PORT_IN BOARD_UART_LINK_IN
#define PORT_OUT BOARD_UART_LINK_OUT

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)((v >> 8) & 0xFFu);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFFu);
    put16(p + 2, v >> 16);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) | ((uint32_t)get16(p + 2) << 16);
}

/* ---- frames ------------------------------------------------------------------------ */

static void send(struct bms *bms, enum board_uart port, uint8_t type, uint8_t src, uint8_t dst,
                 uint8_t aux, const uint8_t *payload, uint8_t len)
{
    uint8_t f[BMS_LINK_FRAME_MAX];
    if (len > BMS_LINK_PAYLOAD_MAX)
        return;
    f[0] = SOF;
    f[1] = type;
    f[2] = src;
    f[3] = dst;
    f[4] = aux;
    f[5] = len;
    if (len)
        memcpy(f + HDR, payload, len);
    put16(f + HDR + len, bms_crc16(f + 1, HDR - 1u + len, 0xFFFFu));
    (void)bms->board->ops->uart_write(bms->board, port, f, HDR + len + CRC_LEN);
    bms->link.frames_out++;
}

/* The same frame, unchanged, out of the other port (store and forward). */
static void forward(struct bms *bms, enum board_uart port, const uint8_t *f)
{
    (void)bms->board->ops->uart_write(bms->board, port, f, HDR + f[5] + CRC_LEN);
}

static void flood(struct bms *bms, enum board_uart arrived, uint8_t type)
{
    uint8_t id = bms->link.pack_id;
    if (arrived != PORT_IN)
        send(bms, PORT_IN, type, id, DST_ALL, 0, 0, 0);
    if (arrived != PORT_OUT)
        send(bms, PORT_OUT, type, id, DST_ALL, 0, 0, 0);
}

/* ---- the report a slave sends --------------------------------------------------------- */

#define REPORT_LEN 44u

static void report_of(const struct bms_status *st, struct bms_link_report *r)
{
    r->state = (uint8_t)st->state;
    r->flags = (uint8_t)((st->charge_enable ? BMS_LINK_REP_CHARGE_EN : 0u) |
                         (st->discharge_enable ? BMS_LINK_REP_DISCHARGE_EN : 0u) |
                         (st->force_charge ? BMS_LINK_REP_FORCE : 0u) |
                         (st->full_charge_request ? BMS_LINK_REP_FULL_REQ : 0u));
    r->soc_pct = st->soc_shown_pct;
    r->soh_pct = st->soh_pct;
    r->soc_pptt = (uint16_t)(st->soc_pptt < 0 ? 0 : st->soc_pptt > 10000 ? 10000 : st->soc_pptt);
    r->capacity_mAh = st->capacity_mAh;
    r->battery_mV = (uint16_t)(st->battery_mV > 0xFFFFu ? 0xFFFFu : st->battery_mV);
    r->current_mA = st->current_mA;
    r->temp_mean_ddegC = st->temp_mean_ddegC;
    r->temp_min_ddegC = st->temp_min_ddegC;
    r->temp_max_ddegC = st->temp_max_ddegC;
    r->cell_min_mV = st->cell_min_mV;
    r->cell_max_mV = st->cell_max_mV;
    r->cvl_dV = st->cvl_dV;
    r->ccl_dA = st->ccl_dA;
    r->dcl_dA = st->dcl_dA;
    r->dvl_dV = st->dvl_dV;
    r->protect_mask = (uint16_t)st->protect_mask;
    r->alarm_mask = (uint16_t)st->alarm_mask;
    r->fault_mask = (uint16_t)st->fault_mask;
    r->cycles = st->cycles;
}

static void report_encode(const struct bms_link_report *r, uint8_t *p)
{
    p[0] = r->state;
    p[1] = r->flags;
    p[2] = r->soc_pct;
    p[3] = r->soh_pct;
    put16(p + 4, r->soc_pptt);
    put32(p + 6, r->capacity_mAh);
    put16(p + 10, r->battery_mV);
    put32(p + 12, (uint32_t)r->current_mA);
    put16(p + 16, (uint16_t)r->temp_mean_ddegC);
    put16(p + 18, (uint16_t)r->temp_min_ddegC);
    put16(p + 20, (uint16_t)r->temp_max_ddegC);
    put16(p + 22, r->cell_min_mV);
    put16(p + 24, r->cell_max_mV);
    put16(p + 26, r->cvl_dV);
    put16(p + 28, r->ccl_dA);
    put16(p + 30, r->dcl_dA);
    put16(p + 32, r->dvl_dV);
    put16(p + 34, r->protect_mask);
    put16(p + 36, r->alarm_mask);
    put16(p + 38, r->fault_mask);
    put16(p + 40, r->cycles);
    put16(p + 42, 0);
}

static void report_decode(const uint8_t *p, struct bms_link_report *r)
{
    r->state = p[0];
    r->flags = p[1];
    r->soc_pct = p[2];
    r->soh_pct = p[3];
    r->soc_pptt = get16(p + 4);
    r->capacity_mAh = get32(p + 6);
    r->battery_mV = get16(p + 10);
    r->current_mA = (int32_t)get32(p + 12);
    r->temp_mean_ddegC = (int16_t)get16(p + 16);
    r->temp_min_ddegC = (int16_t)get16(p + 18);
    r->temp_max_ddegC = (int16_t)get16(p + 20);
    r->cell_min_mV = get16(p + 22);
    r->cell_max_mV = get16(p + 24);
    r->cvl_dV = get16(p + 26);
    r->ccl_dA = get16(p + 28);
    r->dcl_dA = get16(p + 30);
    r->dvl_dV = get16(p + 32);
    r->protect_mask = get16(p + 34);
    r->alarm_mask = get16(p + 36);
    r->fault_mask = get16(p + 38);
    r->cycles = get16(p + 40);
}

/* ---- coding failure ------------------------------------------------------------------ */

/* R-PA-2: this pack fails its coding and tells every pack joined to it. */
static void fail(struct bms *bms, enum board_uart arrived, bool tell_arrival)
{
    struct bms_link *l = &bms->link;
    if (l->coding_failed)
        return;
    l->coding_failed = true;
    l->phase = BMS_LINK_IDLE;
    if (tell_arrival) {
        send(bms, PORT_IN, T_FAIL, l->pack_id, DST_ALL, 0, 0, 0);
        send(bms, PORT_OUT, T_FAIL, l->pack_id, DST_ALL, 0, 0, 0);
    } else {
        flood(bms, arrived, T_FAIL);
    }
}

static bool awake(const struct bms *bms)
{
    return bms->state != BMS_STATE_SHUTDOWN;
}

/* A shut-down pack whose wake circuit may start it (R-PR-13 keeps a flat one off). */
static bool wakeable(const struct bms *bms)
{
    return bms->state == BMS_STATE_SHUTDOWN && !bms->powered &&
           bms->afe.battery_mV >= bms->cfg->wake_min_battery_mV;
}

static bool in_service(const struct bms *bms)
{
    return bms_state_running(bms->state);
}

/* ---- receiving ------------------------------------------------------------------------ */

static void on_wake(struct bms *bms, enum board_uart port, const uint8_t *f)
{
    struct bms_link *l = &bms->link;
    bool from_out = (f[4] & AUX_FROM_OUT) != 0;

    if (wakeable(bms) && !l->wake) {
        l->wake = true;
        l->coding_failed = false;
        l->is_master = false;
        l->pack_id = (uint8_t)(f[2] + 1u);
        l->up_port = (uint8_t)port;
        /* R-PA-1: a frame from an upstream Out must arrive on this In; more than 4
         * packs, In-to-In and Out-to-Out all fail here. */
        if (port != PORT_IN || !from_out || f[2] == 0 || l->pack_id > BMS_LINK_MAX_PACKS) {
            fail(bms, port, true);
            return;
        }
        send(bms, PORT_OUT, T_WAKE, l->pack_id, DST_ALL, AUX_FROM_OUT, 0, 0);
        send(bms, PORT_IN, T_HELLO, l->pack_id, 1, 0, 0, 0);
        return;
    }
    /* Woken twice, or the master's own wake came back: a loop or a second master. A
     * running system ignores a stranger's wake (it is not being coded). */
    if (awake(bms) && !in_service(bms))
        fail(bms, port, true);
}

/* Master: every coded slave answered its last poll. */
static bool all_answered(const struct bms_link *l)
{
    for (uint8_t id = 2; id <= l->pack_count; id++)
        if (!l->peer[id - 1].answered)
            return false;
    return true;
}

static void on_master_frame(struct bms *bms, const uint8_t *f)
{
    struct bms_link *l = &bms->link;
    uint8_t src = f[2];
    if (src < 2 || src > BMS_LINK_MAX_PACKS)
        return;
    l->due_valid = false; /* a REPLY, an ANNOUNCE or an acknowledgement: look again */
    struct bms_link_peer *p = &l->peer[src - 1];
    switch (f[1]) {
    case T_HELLO:
        if (l->phase == BMS_LINK_DISCOVER) {
            l->ids_heard |= (uint8_t)(1u << src);
            if (src > l->max_id_heard)
                l->max_id_heard = src;
        }
        break;
    case T_REPLY:
        if (f[5] < REPORT_LEN || src > l->pack_count)
            break;
        report_decode(f + HDR, &p->rep);
        l->sums.fresh = false;
        l->rx_news |= !p->online; /* back (or first heard): link_comm, packs online */
        p->seen = true;
        p->online = true;
        p->answered = true;
        p->last_ok_ms = bms->now_ms;
        if (bms->state == BMS_STATE_CODING)
            p->coded_seen = true;
        if (src == l->poll_id)
            l->poll_ms = bms->now_ms - bms->cfg->link.reply_ms; /* answered: next one */
        else if (l->poll_id == DST_ALL && all_answered(l))
            l->poll_id = 0; /* the pipelined round is over */
        break;
    case T_ANNOUNCE:
        /* A running pack this master did not code (a link mended after a restart with
         * fewer packs): it shares the bus current unaccounted for (R-PA-3 decision). A
         * coded slave's announcement only says it lost the polls: its next REPLY counts. */
        if (src > l->pack_count) {
            l->rx_news |= !l->stranger;
            l->stranger = true;
        }
        break;
    case T_SHUT_ACK:
        if (l->phase == BMS_LINK_SHUTTING && src == l->shut_id && !l->shut_acked) {
            l->shut_acked = true;
            l->shut_ms = bms->now_ms;
        }
        break;
    default:
        break;
    }
}

static void on_slave_down(struct bms *bms, const uint8_t *f)
{
    struct bms_link *l = &bms->link;
    uint8_t dst = f[3];
    bool mine = dst == l->pack_id;
    /* A POLL to all stops at the last coded slave: a pack behind it is not in this
     * system (a stranger announces itself and must go on doing so). */
    bool last = f[1] == T_POLL && l->pack_count && l->pack_id >= l->pack_count;

    if ((dst == DST_ALL && !last) || (!mine && dst != DST_ALL))
        forward(bms, PORT_OUT, f); /* the rest of the chain */
    if (!mine && dst != DST_ALL)
        return;
    switch (f[1]) {
    case T_POLL: {
        uint8_t p[REPORT_LEN];
        struct bms_link_report r;
        report_of(&bms->status, &r);
        report_encode(&r, p);
        send(bms, PORT_IN, T_REPLY, l->pack_id, 1, 0, p, REPORT_LEN);
        l->last_poll_ms = l->announce_ms = bms->now_ms;
        l->rx_news |= (bms->diag.ext_alarm_mask & (1u << BMS_ALARM_LINK_COMM)) != 0;
        break;
    }
    case T_RUN:
        if (l->phase == BMS_LINK_WAIT_RUN && f[4] >= l->pack_id && f[4] <= BMS_LINK_MAX_PACKS) {
            l->run = true;
            l->pack_count = f[4];
        }
        break;
    case T_SHUT:
        send(bms, PORT_IN, T_SHUT_ACK, l->pack_id, 1, 0, 0, 0);
        l->shut = true;
        break;
    default:
        break;
    }
}

static void on_frame(struct bms *bms, enum board_uart port, const uint8_t *f)
{
    struct bms_link *l = &bms->link;
    uint8_t type = f[1];

    bms->link.frames_in++;
    if (type == T_WAKE) {
        on_wake(bms, port, f);
        return;
    }
    if (type == T_FAIL) { /* R-PA-2: the whole chain shows the fault */
        if (l->coding_failed || in_service(bms))
            return;
        if (wakeable(bms)) {
            l->wake = true;
            l->is_master = false;
            l->pack_id = 0;
        } else if (!awake(bms)) {
            return;
        }
        fail(bms, port, false);
        return;
    }
    if (type == T_SHUT_ALL) { /* a restart of a failed chain */
        if (!l->coding_failed || !awake(bms) || l->shut)
            return;
        l->shut = true;
        flood(bms, port, T_SHUT_ALL);
        return;
    }
    if (!bms->powered || l->coding_failed)
        return;
    if (l->is_master) {
        if (port == PORT_OUT)
            on_master_frame(bms, f);
        return;
    }
    if (l->pack_id < 2)
        return;
    if (port == PORT_OUT &&
        (type == T_HELLO || type == T_REPLY || type == T_SHUT_ACK || type == T_ANNOUNCE))
        forward(bms, PORT_IN, f); /* upstream, towards the master */
    else if (port == PORT_IN && (type == T_POLL || type == T_RUN || type == T_SHUT))
        on_slave_down(bms, f);
}

/* Bytes read per port and tick: a flood of bytes cannot starve the tick. */
#define LINK_RX_PER_TICK 512u

/* Bytes of one port into its frame assembler: the bytes between frames are skipped up
 * to the next SOF, and a frame's bytes are copied as one run (its header, then the rest
 * its length asks for), as a UART's DMA would fill the frame buffer. A bad length or CRC
 * drops what was assembled and the hunt goes on from the byte after it. */
static void assemble(struct bms *bms, enum board_uart port, struct bms_link_rx *rx,
                     const uint8_t *b, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (rx->len == 0) { /* hunting for the start of a frame */
            while (i < n && b[i] != SOF)
                i++;
            if (i == n)
                return;
        }
        size_t want = rx->len < HDR ? HDR : HDR + rx->buf[5] + CRC_LEN;
        size_t take = want - rx->len < n - i ? want - rx->len : n - i;
        memcpy(rx->buf + rx->len, b + i, take);
        rx->len = (uint8_t)(rx->len + take);
        i += take;
        if (rx->len < want)
            return; /* the rest comes with the next bytes */
        if (want == HDR) {
            if (rx->buf[5] > BMS_LINK_PAYLOAD_MAX) {
                rx->crc_errors++;
                rx->len = 0;
            }
            continue;
        }
        uint8_t len = rx->buf[5];
        uint16_t crc = bms_crc16(rx->buf + 1, HDR - 1u + len, 0xFFFFu);
        rx->len = 0;
        if (crc != get16(rx->buf + HDR + len)) {
            rx->crc_errors++;
            continue;
        }
        on_frame(bms, port, rx->buf);
    }
}

/* What the first look at a port found waiting is read (up to the tick's share); only a
 * tick that took its whole share looks again, for the rest (bytes that come later raise
 * the UART's interrupt). */
static void receive_port(struct bms *bms, enum board_uart port, size_t waiting)
{
    struct board *board = bms->board;
    struct bms_link_rx *rx = &bms->link.rx[port == PORT_IN ? 0 : 1];
    uint8_t chunk[64];
    size_t left = waiting < LINK_RX_PER_TICK ? waiting : LINK_RX_PER_TICK;
    while (left > 0) {
        size_t n = board->ops->uart_read(board, port, chunk,
                                         left < sizeof chunk ? left : sizeof chunk);
        if (n == 0)
            return;
        left -= n;
        assemble(bms, port, rx, chunk, n);
    }
    if (waiting >= LINK_RX_PER_TICK && board->ops->uart_waiting(board, port) > 0)
        bms->link.rx_more = true; /* the rest next tick */
}

/* A steady round's REPLYs are taken at its end (docs/link-protocol.md, the REPLYs of a
 * pipelined round [decision]): while a POLL to all is younger than reply_ms, a master in
 * service leaves its Link Port Out unread. */
static bool replies_wait(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    return l->poll_id == DST_ALL && l->is_master && bms->powered &&
           l->phase == BMS_LINK_SERVICE &&
           (uint32_t)(bms->now_ms - l->poll_ms) < bms->cfg->link.reply_ms;
}

/* Link Port Out's receive interrupt is off exactly while its REPLYs wait: they do not
 * wake the master one by one. */
static void rx_wake_follow(struct bms *bms)
{
    bool quiet = replies_wait(bms);
    if (quiet == bms->link.out_rx_quiet)
        return;
    bms->link.out_rx_quiet = quiet;
    bms->board->ops->uart_rx_wake(bms->board, PORT_OUT, !quiet);
}

/* A port is read only while its UART says bytes wait: an idle port (both of them at most
 * ticks, even in a parallel system) costs a look at the FIFO level, not a read, nor the
 * reader's call. */
static void receive_waiting(struct bms *bms, enum board_uart port)
{
    size_t waiting = bms->board->ops->uart_waiting(bms->board, port);
    if (waiting > 0)
        receive_port(bms, port, waiting);
}

bool bms_link_receive(struct bms *bms)
{
    bms->link.rx_more = false;
    bms->link.rx_news = false;
    receive_waiting(bms, PORT_IN);
    if (!replies_wait(bms))
        receive_waiting(bms, PORT_OUT);
    uint32_t bit = 1u << BMS_FAULT_CODING;
    if (bms->link.coding_failed && awake(bms) && !(bms->diag.ext_fault_mask & bit)) {
        bms->diag.ext_fault_mask |= bit;
        bms->link.rx_news = true;
    }
    return bms->link.rx_news;
}

/* ---- the state machine's hooks -------------------------------------------------------- */

static void peers_reset(struct bms_link *l)
{
    for (int i = 0; i < BMS_LINK_MAX_PACKS; i++) {
        l->peer[i].online = l->peer[i].seen = l->peer[i].coded_seen = false;
        l->peer[i].last_ok_ms = 0;
    }
    l->stranger = l->limits_held = false; /* a new coding accounts for every pack anew */
    l->sums.fresh = false;
}

void bms_link_start(struct bms *bms, enum bms_link_start how)
{
    struct bms_link *l = &bms->link;
    bool failed = how == BMS_LINK_START_WAKE && l->coding_failed;

    l->phase_ms = bms->now_ms;
    l->run = l->shut = l->sweep_due = false;
    l->poll_id = 0;
    l->can_ready = false;
    l->due_valid = false;
    peers_reset(l);
    if (how == BMS_LINK_START_WAKE) { /* pack_id, up_port set by the wake */
        l->wake = false;
        l->coding_failed = failed;
        l->pack_count = 0;
        l->phase = failed ? BMS_LINK_IDLE : BMS_LINK_WAIT_RUN;
        if (failed)
            bms->diag.ext_fault_mask |= 1u << BMS_FAULT_CODING;
        return;
    }
    l->wake = false;
    l->coding_failed = false;
    l->pack_id = 1;
    l->is_master = true;
    l->pack_count = 1;
    l->max_id_heard = 1;
    l->ids_heard = 0;
    if (how == BMS_LINK_START_CHARGER) { /* R-PR-13: alone, no wake-up of the chain */
        l->phase = BMS_LINK_IDLE;
        return;
    }
    /* R-PA-2: the master wakes every pack joined to it, through either port. */
    l->phase = BMS_LINK_DISCOVER;
    send(bms, PORT_OUT, T_WAKE, 1, DST_ALL, AUX_FROM_OUT, 0, 0);
    send(bms, PORT_IN, T_WAKE, 1, DST_ALL, 0, 0, 0);
}

void bms_link_preset(struct bms *bms, uint8_t pack_id, uint8_t pack_count)
{
    struct bms_link *l = &bms->link;
    if (pack_count < 1 || pack_count > BMS_LINK_MAX_PACKS || pack_id < 1 || pack_id > pack_count)
        pack_id = pack_count = 1;
    memset(l->rx, 0, sizeof l->rx);
    peers_reset(l);
    l->pack_id = pack_id;
    l->pack_count = pack_count;
    l->is_master = pack_id == 1;
    l->coding_failed = l->wake = l->run = l->shut = false;
    l->up_port = PORT_IN;
    l->phase = pack_count > 1 ? BMS_LINK_SERVICE : BMS_LINK_IDLE;
    l->phase_ms = bms->now_ms;
    l->round_ms = bms->now_ms - bms->cfg->link.round_ms; /* the first round at once */
    l->poll_id = 0;
    l->can_ready = pack_count == 1;
    l->due_valid = false;
    l->last_poll_ms = l->announce_ms = bms->now_ms;
}

enum bms_link_coding bms_link_coding_step(struct bms *bms, uint32_t in_coding_ms)
{
    struct bms_link *l = &bms->link;
    const struct bms_config *cfg = bms->cfg;

    if (l->coding_failed)
        return BMS_LINK_CODING_FAILED;
    if (!l->is_master) {
        if (l->run) {
            l->run = false;
            l->phase = BMS_LINK_SERVICE;
            l->last_poll_ms = l->announce_ms = bms->now_ms;
            return BMS_LINK_CODING_DONE;
        }
        if ((uint32_t)(bms->now_ms - l->phase_ms) >= cfg->link.slave_coding_ms) {
            fail(bms, PORT_IN, true); /* never released: a gap upstream */
            return BMS_LINK_CODING_FAILED;
        }
        return BMS_LINK_CODING_BUSY;
    }
    uint32_t slaves = l->pack_count > 1 ? l->pack_count - 1u : 0u;
    if (in_coding_ms < cfg->coding_single_ms + slaves * cfg->coding_per_slave_ms)
        return BMS_LINK_CODING_BUSY;
    /* The roll call: every slave found at the wake answered a poll during coding. */
    for (uint8_t id = 2; id <= l->pack_count; id++) {
        if (!l->peer[id - 1].coded_seen) {
            fail(bms, PORT_IN, true);
            return BMS_LINK_CODING_FAILED;
        }
    }
    if (l->pack_count > 1)
        send(bms, PORT_OUT, T_RUN, 1, DST_ALL, l->pack_count, 0, 0);
    l->can_ready = true;
    l->due_valid = false;
    return BMS_LINK_CODING_DONE;
}

bool bms_link_button_shuts(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    if (l->is_master || l->pack_count <= 1 || l->coding_failed)
        return true;
    /* A slave follows its master; alone (master lost) its own button works. */
    return (bms->diag.ext_alarm_mask & (1u << BMS_ALARM_LINK_COMM)) != 0;
}

bool bms_link_shutdown_begin(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    if (l->coding_failed) {
        send(bms, PORT_IN, T_SHUT_ALL, l->pack_id, DST_ALL, 0, 0, 0);
        send(bms, PORT_OUT, T_SHUT_ALL, l->pack_id, DST_ALL, 0, 0, 0);
        return false;
    }
    if (!l->is_master || l->pack_count <= 1)
        return false;
    l->phase = BMS_LINK_SHUTTING;
    l->shut_id = l->pack_count;
    l->shut_tries = 0;
    l->shut_acked = false;
    l->shut_ms = bms->now_ms - bms->cfg->link.shut_ack_ms; /* send at once */
    return true;
}

bool bms_link_shutting(const struct bms *bms)
{
    return bms->link.phase == BMS_LINK_SHUTTING;
}

bool bms_link_take_sweep(struct bms *bms)
{
    bool s = bms->link.sweep_due;
    bms->link.sweep_due = false;
    return s;
}

bool bms_link_take_shut(struct bms *bms)
{
    bool s = bms->link.shut;
    bms->link.shut = false;
    return s;
}

/* ---- after the state machine: discovery end, polls, timeouts, shutdown order ---------- */

static void discover_step(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    if ((uint32_t)(bms->now_ms - l->phase_ms) < bms->cfg->link.discover_ms)
        return;
    uint8_t n = 1;
    while (n < BMS_LINK_MAX_PACKS && (l->ids_heard & (1u << (n + 1))))
        n++;
    if (n != l->max_id_heard) { /* an ID missing below the highest: a broken chain */
        fail(bms, PORT_IN, true);
        return;
    }
    l->pack_count = n;
    l->phase = n > 1 ? BMS_LINK_SERVICE : BMS_LINK_IDLE;
    l->phase_ms = bms->now_ms;
    l->round_ms = bms->now_ms - bms->cfg->link.round_ms;
    l->can_ready = n == 1;
    l->due_valid = false;
    l->sums.fresh = false; /* counted over the slaves found */
}

/* Steady: every coded slave online and each answered the master's last poll to it, no
 * stranger heard, coding over. */
static bool steady(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    if (!bms->cfg->link.steady_round_ms || !l->can_ready || l->stranger ||
        bms->state == BMS_STATE_CODING)
        return false;
    for (uint8_t id = 2; id <= l->pack_count; id++)
        if (!l->peer[id - 1].online || !l->peer[id - 1].answered)
            return false;
    return true;
}

/* When the next poll round begins: round_ms after the last one; steady, the first slot
 * after that which ends before the 1 s task (whose CAN frames carry the sums), one every
 * steady_round_ms (docs/link-protocol.md, the poll schedule [decision]). */
static uint32_t next_round_ms(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    const struct bms_link_config *lc = &bms->cfg->link;
    uint32_t at = l->round_ms + lc->round_ms;
    if (!steady(bms))
        return at;
    uint32_t slot = bms->task_second_ms - lc->steady_lead_ms;
    while ((int32_t)(slot - at) < 0)
        slot += lc->steady_round_ms;
    return slot;
}

static void poll_step(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    const struct bms_link_config *lc = &bms->cfg->link;
    uint32_t now = bms->now_ms;

    if (l->poll_id == 0) {
        if ((int32_t)(now - next_round_ms(bms)) < 0)
            return;
        l->round_ms = now;
        if (steady(bms)) { /* one POLL to all, pipelined down the chain */
            l->poll_id = DST_ALL;
            l->poll_ms = now;
            for (uint8_t id = 2; id <= l->pack_count; id++)
                l->peer[id - 1].answered = false;
            send(bms, PORT_OUT, T_POLL, 1, DST_ALL, 0, 0, 0);
            return;
        }
        l->poll_id = 2;
    } else if (l->poll_id == DST_ALL) { /* every REPLY came (on_master_frame) or none will */
        if ((uint32_t)(now - l->poll_ms) >= lc->reply_ms)
            l->poll_id = 0;
        return;
    } else if ((uint32_t)(now - l->poll_ms) >= lc->reply_ms) {
        if (++l->poll_id > l->pack_count) {
            l->poll_id = 0;
            return;
        }
    } else {
        return;
    }
    l->poll_ms = now;
    l->peer[l->poll_id - 1].answered = false;
    send(bms, PORT_OUT, T_POLL, 1, l->poll_id, 0, 0, 0);
}

static void master_alarms(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    uint32_t now = bms->now_ms, lost = bms->cfg->link.lost_ms;
    bool all_seen = true, any_lost = false;
    for (uint8_t id = 2; id <= l->pack_count; id++) {
        struct bms_link_peer *p = &l->peer[id - 1];
        bool online = p->seen && (uint32_t)(now - p->last_ok_ms) < lost;
        if (online != p->online) {
            p->online = online;
            l->sums.fresh = false; /* it drops out of the sums (R-PA-3) */
        }
        all_seen &= p->seen;
        any_lost |= !p->online;
    }
    if (!l->can_ready && (all_seen || (uint32_t)(now - l->phase_ms) >= lost))
        l->can_ready = true;
    uint32_t bit = 1u << BMS_ALARM_LINK_COMM;
    if (in_service(bms) && l->can_ready && (any_lost || l->stranger))
        bms->diag.ext_alarm_mask |= bit;
    else
        bms->diag.ext_alarm_mask &= ~bit;
}

/* A slave whose master went quiet raises link_comm and, every lost_ms, announces up the
 * chain that it still runs: a master that restarted without it (the link was broken)
 * hears it once the link is mended and counts it as unaccounted (R-PA-3 decision). */
static void slave_alarms(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    uint32_t bit = 1u << BMS_ALARM_LINK_COMM, now = bms->now_ms, lost = bms->cfg->link.lost_ms;
    if ((uint32_t)(now - l->last_poll_ms) < lost) {
        bms->diag.ext_alarm_mask &= ~bit;
        return;
    }
    bms->diag.ext_alarm_mask |= bit;
    if ((uint32_t)(now - l->announce_ms) >= lost) {
        send(bms, (enum board_uart)l->up_port, T_ANNOUNCE, l->pack_id, 1, 0, 0, 0);
        l->announce_ms = now;
    }
}

/* The master polls its slaves (in service, coded with slaves, awake). */
static bool master_polls(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    return l->is_master && l->pack_count > 1 && awake(bms);
}

/* The master's next link deadline, worked out: the next round or the poll's timeout, the
 * end of the wait for the first frames, each online slave's going offline. */
static uint32_t master_due_ms(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    const struct bms_link_config *lc = &bms->cfg->link;
    uint32_t now = bms->now_ms, at = now;
    bool any = false;
    bms_earliest(now, l->poll_id == 0 ? next_round_ms(bms) : l->poll_ms + lc->reply_ms, &any,
                 &at);
    if (!l->can_ready)
        bms_earliest(now, l->phase_ms + lc->lost_ms, &any, &at);
    for (uint8_t id = 2; id <= l->pack_count; id++)
        if (l->peer[id - 1].online)
            bms_earliest(now, l->peer[id - 1].last_ok_ms + lc->lost_ms, &any, &at);
    return at;
}

/* The kept deadline still holds (struct bms_link, due_valid). */
static bool master_due_kept(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    return l->due_valid && l->due_state == (uint8_t)bms->state &&
           l->due_second_ms == bms->task_second_ms;
}

/* A poll still being answered: its REPLYs are on their way up (a POLL to all until every
 * slave answered, a POLL to one until it did), at most reply_ms. */
static bool poll_answering(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    return l->poll_id != 0 && (uint32_t)(bms->now_ms - l->poll_ms) < bms->cfg->link.reply_ms;
}

static void shut_step(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    const struct bms_link_config *lc = &bms->cfg->link;
    uint32_t since = bms->now_ms - l->shut_ms;

    if (poll_answering(bms))
        return; /* half-duplex: a SHUT down a segment would meet a REPLY coming up it */

    if (l->shut_id >= 2) {
        if (l->shut_acked) {
            if (since < BMS_LEDS * bms->cfg->sweep_step_ms)
                return; /* its L1 -> L8 sweep */
        } else if (since < lc->shut_ack_ms) {
            return;
        } else if (l->shut_tries < lc->shut_retries) {
            l->shut_tries++;
            l->shut_ms = bms->now_ms;
            send(bms, PORT_OUT, T_SHUT, 1, l->shut_id, 0, 0, 0);
            return;
        }
        l->shut_id--; /* done, or given up: the next one up the chain */
        l->shut_tries = 0;
        l->shut_acked = false;
        l->shut_ms = bms->now_ms - lc->shut_ack_ms;
        if (l->shut_id >= 2)
            return;
    }
    l->phase = BMS_LINK_IDLE; /* the master's own turn (bms.c starts its sweep) */
    l->sweep_due = true;
}

void bms_link_service(struct bms *bms)
{
    struct bms_link *l = &bms->link;

    switch ((enum bms_link_phase)l->phase) {
    case BMS_LINK_DISCOVER:
        discover_step(bms);
        break;
    case BMS_LINK_SERVICE:
        if (master_polls(bms)) {
            if (master_due_kept(bms) && (int32_t)(bms->now_ms - l->due_ms) < 0)
                break; /* nothing due before due_ms: the last pass found so */
            poll_step(bms);
            master_alarms(bms);
            l->due_ms = master_due_ms(bms);
            l->due_valid = true;
            l->due_state = (uint8_t)bms->state;
            l->due_second_ms = bms->task_second_ms;
        } else if (!l->is_master && in_service(bms)) {
            slave_alarms(bms);
        }
        break;
    case BMS_LINK_SHUTTING:
        shut_step(bms);
        break;
    case BMS_LINK_IDLE:
        if (l->is_master && l->pack_count == 1 && in_service(bms)) { /* alone: a stranger */
            uint32_t bit = 1u << BMS_ALARM_LINK_COMM;
            if (l->stranger)
                bms->diag.ext_alarm_mask |= bit;
            else
                bms->diag.ext_alarm_mask &= ~bit;
        }
        break;
    case BMS_LINK_WAIT_RUN:
        break;
    }
    if (bms->state == BMS_STATE_SHUTDOWN && l->phase != BMS_LINK_SHUTTING)
        l->phase = BMS_LINK_IDLE;
    /* Out's interrupt follows the round: off once a POLL to all left, on again at its
     * end or when it was left (a shutdown, its power let go). */
    if (l->poll_id == DST_ALL || l->out_rx_quiet)
        rx_wake_follow(bms);
}

/* ---- tasks and wakeups ------------------------------------------------------------------ */

bool bms_link_pending(const struct bms *bms)
{
    const struct bms_link *l = &bms->link;
    switch (bms->state) {
    case BMS_STATE_SHUTDOWN:
        return l->wake || l->sweep_due;
    case BMS_STATE_CODING:
        return l->run;
    case BMS_STATE_STARTUP:
        return false;
    default:
        return l->shut;
    }
}

bool bms_link_next_ms(const struct bms *bms, uint32_t *at)
{
    const struct bms_link *l = &bms->link;
    const struct bms_link_config *lc = &bms->cfg->link;
    uint32_t now = bms->now_ms;
    bool any = false;

    if (l->rx_more)
        bms_earliest(now, now, &any, at);
    switch ((enum bms_link_phase)l->phase) {
    case BMS_LINK_DISCOVER:
        bms_earliest(now, l->phase_ms + lc->discover_ms, &any, at);
        break;
    case BMS_LINK_SERVICE:
        if (master_polls(bms)) {
            bms_earliest(now, master_due_kept(bms) ? l->due_ms : master_due_ms(bms), &any, at);
        } else if (!l->is_master && in_service(bms)) {
            /* the alarm, then each announcement while the master is lost */
            bms_earliest(now, l->announce_ms + lc->lost_ms, &any, at);
        }
        break;
    case BMS_LINK_SHUTTING:
        if (poll_answering(bms)) { /* shut_step waits: a REPLY (rx) or reply_ms ends it */
            bms_earliest(now, l->poll_ms + lc->reply_ms, &any, at);
            break;
        }
        bms_earliest(now, l->shut_id < 2 ? now
                      : l->shut_ms + (l->shut_acked ? BMS_LEDS * bms->cfg->sweep_step_ms
                                                    : lc->shut_ack_ms),
                 &any, at);
        break;
    case BMS_LINK_IDLE:
    case BMS_LINK_WAIT_RUN:
        break;
    }
    return any;
}

/* ---- R-PA-3: the system as the master reports it --------------------------------------- */

/* One direction's system limit: the packs that allow it and the smallest limit among them.
 * N x min (not the sum) because the bus shares current by resistance, not by limit: with
 * a sum, a nearly full pack could take its share of the others' limits. */
struct link_lim {
    uint32_t count;
    uint32_t min_dA;
};

static void link_min_add(struct link_lim *m, bool enabled, uint16_t limit_dA)
{
    if (!enabled || limit_dA == 0u)
        return;
    m->count++;
    if (limit_dA < m->min_dA)
        m->min_dA = limit_dA;
}

static uint16_t link_min_total(const struct link_lim *m)
{
    uint32_t t = m->count ? m->count * m->min_dA : 0u;
    return (uint16_t)(t > 0xFFFFu ? 0xFFFFu : t);
}

/* Whether every pack on the link is accounted for: each coded slave heard within lost_ms
 * (once the master tells the inverter anything) and no running pack heard that it did
 * not code. */
static bool all_accounted(const struct bms_link *l)
{
    if (l->stranger)
        return false;
    if (!l->can_ready)
        return true; /* nothing told yet: the first frames wait for every slave */
    for (uint8_t id = 2; id <= l->pack_count; id++)
        if (!l->peer[id - 1].online)
            return false;
    return true;
}

/* The longest rise the told limits need: 4 packs x 30 A at 1 A/s is 120 s. The cap keeps
 * the ramp's product inside 32 bits. */
#define RAMP_MAX_MS 300000u

/* R-PA-3 [decision] (docs/spec/PRODUCT.md): a pack not accounted for counts as CCL = DCL =
 * 0 A, so the system's are 0 A; when every pack is accounted for again, the told limits
 * rise from 0 at the R-LM-2 slew, as a pack's own do after a protection. */
static void hold_unaccounted(struct bms *bms, struct bms_status *sys)
{
    struct bms_link *l = &bms->link;
    if (!all_accounted(l)) {
        l->limits_held = true;
        l->release_ms = bms->now_ms;
        sys->ccl_dA = sys->dcl_dA = 0;
        sys->ccl_mA = sys->dcl_mA = 0;
    } else if (l->limits_held) {
        uint32_t dt = bms->now_ms - l->release_ms;
        dt = dt > RAMP_MAX_MS ? RAMP_MAX_MS : dt;
        uint32_t cap_mA = (uint32_t)bms->cfg->slew_mA_per_s * (dt / 100u) / 10u;
        uint32_t cap_dA = cap_mA / 100u;
        if (cap_dA >= sys->ccl_dA && cap_dA >= sys->dcl_dA)
            l->limits_held = false; /* caught up: the aggregate alone from now on */
        if (sys->ccl_dA > cap_dA)
            sys->ccl_dA = (uint16_t)cap_dA;
        if (sys->dcl_dA > cap_dA)
            sys->dcl_dA = (uint16_t)cap_dA;
    } else {
        return;
    }
    sys->charge_enable = sys->ccl_dA > 0;
    sys->discharge_enable = sys->dcl_dA > 0;
}

static void extremes_take(struct bms_link_extremes *e, const struct bms_link_extremes *x)
{
    if (x->temp_min_ddegC < e->temp_min_ddegC)
        e->temp_min_ddegC = x->temp_min_ddegC;
    if (x->temp_max_ddegC > e->temp_max_ddegC)
        e->temp_max_ddegC = x->temp_max_ddegC;
    if (x->cell_min_mV < e->cell_min_mV)
        e->cell_min_mV = x->cell_min_mV;
    if (x->cell_max_mV > e->cell_max_mV)
        e->cell_max_mV = x->cell_max_mV;
    if (x->cycles > e->cycles)
        e->cycles = x->cycles;
}

/* The online slaves' sums (struct bms_link_sums), counted again only when a REPLY came, a
 * slave went on- or offline or the peers were reset since the last count (each of those
 * clears sums.fresh where it happens). */
static const struct bms_link_sums *slave_sums(struct bms_link *l)
{
    struct bms_link_sums *m = &l->sums;
    if (m->fresh)
        return m;
    memset(m, 0, sizeof *m);
    m->fresh = true;
    struct link_lim ccl = {0u, 0xFFFFu}, dcl = {0u, 0xFFFFu};
    m->ext.temp_min_ddegC = INT16_MAX;
    m->ext.temp_max_ddegC = INT16_MIN;
    m->ext.cell_min_mV = UINT16_MAX;
    for (uint8_t id = 2; id <= l->pack_count; id++) {
        const struct bms_link_peer *p = &l->peer[id - 1];
        if (!p->online)
            continue; /* a lost slave drops out of the aggregates */
        const struct bms_link_report *r = &p->rep;
        uint32_t c = r->capacity_mAh / 100u;
        m->online++;
        m->w_soc += c * r->soc_pptt;
        m->w_soh += c * r->soh_pct;
        m->w_sum += c;
        m->cap_sum += r->capacity_mAh;
        m->volt_sum += r->battery_mV;
        m->temp_sum += r->temp_mean_ddegC;
        m->current_sum += r->current_mA;
        link_min_add(&ccl, (r->flags & BMS_LINK_REP_CHARGE_EN) != 0, r->ccl_dA);
        link_min_add(&dcl, (r->flags & BMS_LINK_REP_DISCHARGE_EN) != 0, r->dcl_dA);
        m->protect_mask |= r->protect_mask;
        m->alarm_mask |= r->alarm_mask;
        m->fault_mask |= r->fault_mask;
        m->force_charge |= (r->flags & BMS_LINK_REP_FORCE) != 0;
        m->full_charge_request |= (r->flags & BMS_LINK_REP_FULL_REQ) != 0;
        extremes_take(&m->ext, &(struct bms_link_extremes){r->temp_min_ddegC, r->temp_max_ddegC,
                                                           r->cell_min_mV, r->cell_max_mV,
                                                           r->cycles});
    }
    m->ccl_count = ccl.count;
    m->ccl_min_dA = ccl.min_dA;
    m->dcl_count = dcl.count;
    m->dcl_min_dA = dcl.min_dA;
    return m;
}

/* The slaves' count for one direction merged into the system's: the packs allowing it
 * and the smallest limit among them. */
static void link_min_merge(struct link_lim *m, uint32_t count, uint32_t min_dA)
{
    m->count += count;
    if (min_dA < m->min_dA)
        m->min_dA = min_dA;
}

void bms_link_aggregate(struct bms *bms)
{
    struct bms_link *l = &bms->link;
    struct bms_status *sys = &bms->sys_status;
    const struct bms_status *own = &bms->status;

    if (!l->is_master)
        return; /* a slave's system view is its own status (bms_system_status) */
    *sys = *own;
    if (l->pack_count <= 1) {
        hold_unaccounted(bms, sys); /* alone, but a stranger may share its bus */
        return;
    }
    /* Capacity-weighted SOC and SOH, weights in 0.1 Ah so that 4 x 65 Ah x 10000
     * stays far inside 32 bits (no 64-bit division on the target). */
    const struct bms_link_sums *m = slave_sums(l);
    uint32_t cap_Ah10 = own->capacity_mAh / 100u; /* 0.1 Ah */
    uint32_t w_soc = cap_Ah10 * (uint32_t)(own->soc_pptt < 0 ? 0 : own->soc_pptt) + m->w_soc;
    uint32_t w_soh = cap_Ah10 * own->soh_pct + m->w_soh;
    uint32_t w_sum = cap_Ah10 + m->w_sum, cap_sum = own->capacity_mAh + m->cap_sum;
    uint32_t volt_sum = own->battery_mV + m->volt_sum;
    int32_t temp_sum = own->temp_mean_ddegC + m->temp_sum;
    /* R-PA-3 (revised): packs allowing each direction and the smallest limit among them. */
    struct link_lim ccl = {0u, 0xFFFFu}, dcl = {0u, 0xFFFFu};
    link_min_add(&ccl, own->charge_enable, own->ccl_dA);
    link_min_add(&dcl, own->discharge_enable, own->dcl_dA);
    link_min_merge(&ccl, m->ccl_count, m->ccl_min_dA);
    link_min_merge(&dcl, m->dcl_count, m->dcl_min_dA);
    uint8_t online = (uint8_t)(1u + m->online);

    if (m->online) {
        sys->current_mA += m->current_sum;
        sys->protect_mask |= m->protect_mask;
        sys->alarm_mask |= m->alarm_mask;
        sys->fault_mask |= m->fault_mask;
        sys->force_charge |= m->force_charge;
        sys->full_charge_request |= m->full_charge_request;
        struct bms_link_extremes e = {sys->temp_min_ddegC, sys->temp_max_ddegC, sys->cell_min_mV,
                                      sys->cell_max_mV, sys->cycles};
        extremes_take(&e, &m->ext);
        sys->temp_min_ddegC = e.temp_min_ddegC;
        sys->temp_max_ddegC = e.temp_max_ddegC;
        sys->cell_min_mV = e.cell_min_mV;
        sys->cell_max_mV = e.cell_max_mV;
        sys->cycles = e.cycles;
    }
    if (w_sum) {
        sys->soc_pptt = (int32_t)((w_soc + w_sum / 2u) / w_sum);
        sys->soh_pct = (uint8_t)((w_soh + w_sum / 2u) / w_sum);
    }
    sys->soc_shown_pct = (uint8_t)((sys->soc_pptt + 50) / 100); /* §13: half up */
    sys->capacity_mAh = cap_sum;
    sys->battery_mV = (volt_sum + online / 2u) / online;
    sys->temp_mean_ddegC = (int16_t)(temp_sum >= 0 ? (temp_sum + online / 2) / online
                                                   : -((-temp_sum + online / 2) / online));
    sys->ccl_dA = link_min_total(&ccl);
    sys->dcl_dA = link_min_total(&dcl);
    sys->charge_enable = sys->ccl_dA > 0;
    sys->discharge_enable = sys->dcl_dA > 0;
    sys->pack_count = online;
    hold_unaccounted(bms, sys);
}
