/* test_link_traffic.c: what a steady 4-pack system puts on its link (docs/link-protocol.md,
 * "The pipelined poll"), counted on the wires. Four firmware instances on fake boards
 * (tests/bms/rig.h), chained Out -> In, ticked every 10 ms; after each tick the wires
 * move what each port sent to the port at the cable's other end, where it is read at the
 * next tick (one hop a tick, as in the simulator). Each segment's frames are counted by
 * direction and tick. In steady state a round is ONE poll to all: it goes down hop by hop
 * and each slave answers up as it passes (9 frame hops a second on 3 segments: 3 POLL
 * hops, 1 + 2 + 3 REPLY hops), never both ends of a segment in one tick (half-duplex),
 * and a round's traffic lies within 6 consecutive ticks. The old round (a poll per slave,
 * each after the previous answer) was 12 hops on 12 ticks. The master's shutdown (R-BT-3)
 * waits behind a poll still being answered, to all or to one slave.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "rig.h"

#define PACKS 4
#define SEGMENTS (PACKS - 1)
#define POLL_LEN 8u                 /* header 6 + CRC 2 */
#define REPLY_LEN (6u + 44u + 2u)   /* header, the report, CRC */
#define T_POLL 3u
#define T_REPLY 4u

static struct rig P[PACKS];

/* One direction of one segment, over the counted window. */
struct flow {
    unsigned frames, bytes, polls, replies;
    unsigned polls_to_one; /* POLLs addressed to one slave (not to all) */
};

struct traffic {
    struct flow down[SEGMENTS], up[SEGMENTS]; /* segment k: pack k's Out to pack k+1's In */
    unsigned both_ends;        /* ticks in which both ends of a segment sent (a collision) */
    unsigned beyond;           /* bytes out of the master's In or the last pack's Out */
    unsigned busy_ticks;       /* ticks with any byte on any segment */
    uint32_t first_ms, last_ms; /* the window's first and last busy tick */
};

/* Counts the frames of a tick's bytes on one wire (the firmware writes whole frames). */
static void count_frames(struct flow *fl, const uint8_t *b, size_t n)
{
    fl->bytes += (unsigned)n;
    for (size_t i = 0; i + 6u <= n;) {
        ck_assert_uint_eq(b[i], 0xA5u);
        size_t len = 6u + b[i + 5] + 2u;
        fl->frames++;
        fl->polls += b[i + 1] == T_POLL && len == POLL_LEN;
        fl->replies += b[i + 1] == T_REPLY && len == REPLY_LEN;
        fl->polls_to_one += b[i + 1] == T_POLL && b[i + 3] != 0xFFu;
        i += len;
    }
}

/* The cables after a tick: what each port sent reaches the other end; t counts or not. */
static void wires(struct traffic *tr, bool counting, uint32_t t)
{
    bool busy = false;
    for (int k = 0; k < SEGMENTS; k++) {
        struct fake_uart *out = &P[k].fb.uart[BOARD_UART_LINK_OUT];
        struct fake_uart *in = &P[k + 1].fb.uart[BOARD_UART_LINK_IN];
        if (counting) {
            count_frames(&tr->down[k], out->tx, out->tx_len);
            count_frames(&tr->up[k], in->tx, in->tx_len);
            tr->both_ends += out->tx_len && in->tx_len;
        }
        busy |= out->tx_len || in->tx_len;
        fake_uart_input(&P[k + 1].fb, BOARD_UART_LINK_IN, out->tx, out->tx_len);
        fake_uart_input(&P[k].fb, BOARD_UART_LINK_OUT, in->tx, in->tx_len);
        out->tx_len = in->tx_len = 0;
    }
    struct fake_uart *head = &P[0].fb.uart[BOARD_UART_LINK_IN];
    struct fake_uart *tail = &P[PACKS - 1].fb.uart[BOARD_UART_LINK_OUT];
    if (counting) {
        tr->beyond += (unsigned)(head->tx_len + tail->tx_len);
        if (busy) {
            if (!tr->busy_ticks)
                tr->first_ms = t;
            tr->last_ms = t;
            tr->busy_ticks++;
        }
    }
    head->tx_len = tail->tx_len = 0; /* no cable there */
}

/* A running system of 4 coded packs (docs/spec/PRODUCT.md §13), run for ms. */
static void run(struct traffic *tr, uint32_t ms, bool counting)
{
    for (uint32_t i = 0; i < ms / TICK_MS; i++) {
        uint32_t t = P[0].now;
        for (int k = 0; k < PACKS; k++)
            rig_tick(&P[k]);
        wires(tr, counting, t);
    }
}

static void start(void)
{
    for (int k = 0; k < PACKS; k++) {
        rig_init(&P[k], 1000);
        bms_start_running_linked(&P[k].bms, P[k].now, (uint8_t)(k + 1), PACKS);
        bms_set_soc_estimate(&P[k].bms, 5000);
    }
}

/* A steady system (10 s), then the master's button held 3 s: a long press, released
 * when the test clears fb.button. */
static void steady_then_long_press(struct traffic *tr)
{
    memset(tr, 0, sizeof *tr);
    start();
    run(tr, 10000, false);
    P[0].fb.button = true;
    run(tr, 3000, false);
}

/* Steady: every second one POLL down each segment and one REPLY up it per slave below. */
START_TEST(steady_round_hops)
{
    struct traffic tr;
    memset(&tr, 0, sizeof tr);
    start();
    run(&tr, 10000, false); /* the first rounds (per slave), then steady */
    ck_assert_uint_eq(bms_system_status(&P[0].bms)->pack_count, PACKS);
    const uint32_t seconds = 20;
    run(&tr, seconds * 1000u, true);
    unsigned hops = 0;
    for (int k = 0; k < SEGMENTS; k++) {
        unsigned below = (unsigned)(SEGMENTS - k); /* slaves behind this segment */
        ck_assert_msg(tr.down[k].frames == seconds && tr.down[k].polls == seconds,
                      "segment %d: %u frames down, %u polls in %u s", k + 1,
                      tr.down[k].frames, tr.down[k].polls, seconds);
        ck_assert_uint_eq(tr.down[k].bytes, seconds * POLL_LEN);
        ck_assert_msg(tr.up[k].frames == seconds * below && tr.up[k].replies == seconds * below,
                      "segment %d: %u frames up, %u replies in %u s", k + 1, tr.up[k].frames,
                      tr.up[k].replies, seconds);
        ck_assert_uint_eq(tr.up[k].bytes, seconds * below * REPLY_LEN);
        hops += tr.down[k].frames + tr.up[k].frames;
    }
    ck_assert_uint_eq(hops, seconds * 9u); /* 12 a second before the pipelined poll */
    ck_assert_uint_eq(tr.both_ends, 0);    /* half-duplex: one sender per segment a tick */
    ck_assert_uint_eq(tr.beyond, 0);       /* the last slave does not pass the poll on */
    /* A round: the POLL leaves the master, the last REPLY reaches it 6 ticks later, with
     * a byte on some segment at every tick in between (6 busy ticks a second). */
    ck_assert_uint_eq(tr.busy_ticks, seconds * 6u);
    for (int k = 0; k < PACKS; k++) {
        ck_assert_uint_eq(rig_st(&P[k])->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
        ck_assert_uint_eq(rig_st(&P[k])->fault_mask, 0);
    }
}
END_TEST

/* Whether a tick's bytes on one wire hold a frame of this type from src to dst (0: any). */
static bool has_frame(const uint8_t *b, size_t n, uint8_t type, uint8_t src, uint8_t dst)
{
    for (size_t i = 0; i + 6u <= n; i += 6u + b[i + 5] + 2u)
        if (b[i + 1] == type && (!src || b[i + 2] == src) && (!dst || b[i + 3] == dst))
            return true;
    return false;
}

/* Ticks the system until a POLL to all leaves the master (within 1 s): its time. */
static uint32_t until_poll_to_all(struct traffic *tr)
{
    const struct fake_uart *down = &P[0].fb.uart[BOARD_UART_LINK_OUT];
    for (uint32_t i = 0; i < 1000u / TICK_MS; i++) {
        uint32_t t = P[0].now;
        for (int k = 0; k < PACKS; k++)
            rig_tick(&P[k]);
        bool polled = has_frame(down->tx, down->tx_len, T_POLL, 1, 0xFF);
        wires(tr, false, t);
        if (polled)
            return t;
    }
    ck_abort_msg("no POLL to all within 1 s");
    return 0;
}

/* A missed REPLY leaves steady state: the master polls each slave in turn every round_ms
 * until all answer, then goes back to one poll to all a second. */
START_TEST(missed_reply_per_slave_then_steady)
{
    struct traffic tr;
    memset(&tr, 0, sizeof tr);
    start();
    run(&tr, 10000, false);
    /* Slave 4's answers are lost for 1.2 s, then heard again (within lost_ms). */
    struct traffic miss;
    memset(&miss, 0, sizeof miss);
    uint32_t round_ms = 0, spans = 0; /* a round's POLL to 2 leaving the master; rounds timed */
    for (uint32_t i = 0; i < 2000u / TICK_MS; i++) {
        uint32_t t = P[0].now;
        for (int k = 0; k < PACKS; k++)
            rig_tick(&P[k]);
        if (i < 1200u / TICK_MS)
            P[3].fb.uart[BOARD_UART_LINK_IN].tx_len = 0;
        const struct fake_uart *down = &P[0].fb.uart[BOARD_UART_LINK_OUT];
        const struct fake_uart *up = &P[1].fb.uart[BOARD_UART_LINK_IN];
        if (has_frame(down->tx, down->tx_len, T_POLL, 0, 2))
            round_ms = t;
        else if (has_frame(down->tx, down->tx_len, T_POLL, 0, 0xFF))
            round_ms = 0; /* steady again: not a round slave by slave */
        /* A round all answer: each POLL leaves as the previous REPLY arrives, 2 + 4 + 6
         * hop ticks, the last REPLY on segment 1-2 at the 12th tick (a deadline kept
         * past a REPLY waits out reply_ms before the next POLL: a round of 260 ms). */
        if (round_ms && has_frame(up->tx, up->tx_len, T_REPLY, 4, 0)) {
            ck_assert_msg(t - round_ms == 11u * TICK_MS, "a round of %u ms",
                          t - round_ms + TICK_MS);
            spans++;
        }
        wires(&miss, true, t);
    }
    ck_assert_uint_ge(spans, 1);
    /* At least one round polled slave by slave: POLLs for 2, 3 and 4 left the master. */
    ck_assert_uint_ge(miss.down[0].polls_to_one, 3);
    ck_assert_uint_ge(miss.down[2].polls_to_one, 1);
    memset(&tr, 0, sizeof tr);
    run(&tr, 5000, true); /* steady again: one POLL to all a second */
    ck_assert_uint_eq(tr.down[0].polls, 5);
    ck_assert_uint_eq(tr.down[0].polls_to_one, 0);
    ck_assert_uint_eq(tr.up[0].replies, 15);
    for (int k = 0; k < PACKS; k++)
        ck_assert_uint_eq(rig_st(&P[k])->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
}
END_TEST

/* R-BT-3 on a steady system, the master's button released one tick after a POLL to all:
 * the master's first SHUT waits until the REPLYs are in (or reply_ms has passed), so no
 * segment has both ends sending while the chain shuts down slave by slave. */
START_TEST(shutdown_after_poll_half_duplex)
{
    struct traffic tr;
    steady_then_long_press(&tr);
    until_poll_to_all(&tr);
    P[0].fb.button = false; /* released at the next tick */
    run(&tr, 10000, true);
    ck_assert_uint_eq(tr.both_ends, 0);
    ck_assert_uint_eq(tr.up[0].replies, 3); /* the round's REPLYs all came */
    for (int k = 0; k < PACKS; k++)
        ck_assert_msg(rig_st(&P[k])->state == BMS_STATE_SHUTDOWN, "pack %d not shut down",
                      k + 1);
}
END_TEST

#define T_SHUT 7u
#define LAST_SLAVE PACKS

/* R-BT-3 behind a POLL to one slave. A round that is not steady polls slave by slave (here
 * after a missed REPLY); the master's button is released one tick after its POLL to slave
 * 4 left, so its first SHUT (to slave 4) would go down the chain while that REPLY comes
 * up. It waits while the poll is answered: it leaves in the tick the REPLY reaches the
 * master, 60 ms after the POLL (3 hops down and 3 up), or, the REPLY lost, reply_ms
 * (100 ms) after the POLL (docs/link-protocol.md, "Shutdown"). No segment has both ends
 * sending, and every pack shuts down. */
static void shutdown_behind_poll_to_one(bool reply_lost)
{
    struct traffic tr;
    steady_then_long_press(&tr);
    uint32_t want_ms = reply_lost ? P[0].cfg.link.reply_ms               /* 100 ms */
                                  : 2u * (LAST_SLAVE - 1) * TICK_MS; /* 60 ms */
    /* Slave 4's answers lost until the master polls it on its own: a steady round misses
     * its REPLY, and the rounds after it go slave by slave. */
    uint32_t poll_ms = 0;
    for (uint32_t i = 0; i < 2000u / TICK_MS && !poll_ms; i++) {
        uint32_t t = P[0].now;
        for (int k = 0; k < PACKS; k++)
            rig_tick(&P[k]);
        P[LAST_SLAVE - 1].fb.uart[BOARD_UART_LINK_IN].tx_len = 0;
        const struct fake_uart *down = &P[0].fb.uart[BOARD_UART_LINK_OUT];
        if (has_frame(down->tx, down->tx_len, T_POLL, 1, LAST_SLAVE))
            poll_ms = t;
        wires(&tr, false, t);
    }
    ck_assert_msg(poll_ms, "no POLL to slave %d alone within 2 s", LAST_SLAVE);
    P[0].fb.button = false; /* released at the next tick */
    uint32_t shut_ms = 0;
    for (uint32_t i = 0; i < 10000u / TICK_MS; i++) {
        uint32_t t = P[0].now;
        for (int k = 0; k < PACKS; k++)
            rig_tick(&P[k]);
        if (reply_lost && t - poll_ms < P[0].cfg.link.reply_ms)
            P[LAST_SLAVE - 1].fb.uart[BOARD_UART_LINK_IN].tx_len = 0;
        const struct fake_uart *down = &P[0].fb.uart[BOARD_UART_LINK_OUT];
        if (!shut_ms && has_frame(down->tx, down->tx_len, T_SHUT, 1, LAST_SLAVE))
            shut_ms = t;
        wires(&tr, true, t);
    }
    ck_assert_msg(shut_ms && shut_ms - poll_ms == want_ms,
                  "the first SHUT left %u ms after the POLL to slave %d (want %u ms)",
                  shut_ms - poll_ms, LAST_SLAVE, want_ms);
    ck_assert_uint_eq(tr.both_ends, 0);
    ck_assert_uint_eq(tr.up[0].replies, reply_lost ? 0u : 1u); /* slave 4's, or none */
    for (int k = 0; k < PACKS; k++)
        ck_assert_msg(rig_st(&P[k])->state == BMS_STATE_SHUTDOWN, "pack %d not shut down",
                      k + 1);
}

/* R-BT-3: the SHUT waits for slave 4's REPLY, 60 ms. */
START_TEST(shutdown_behind_poll_to_one_answered)
{
    shutdown_behind_poll_to_one(false);
}
END_TEST

/* R-BT-3: the REPLY lost, the SHUT waits out reply_ms, 100 ms. */
START_TEST(shutdown_behind_poll_to_one_unanswered)
{
    shutdown_behind_poll_to_one(true);
}
END_TEST

/* The REPLYs of a steady round are taken at its end (docs/link-protocol.md [decision]):
 * from the tick its POLL to all leaves until reply_ms after it, the master's Link Port Out
 * has its receive interrupt off and is not read while the three REPLYs arrive (the 2nd,
 * 4th and 6th tick); at reply_ms it reads them all, each slave answered at that tick, and
 * the interrupt is on again. */
START_TEST(steady_replies_taken_at_round_end)
{
    struct traffic tr;
    memset(&tr, 0, sizeof tr);
    start();
    run(&tr, 10000, false);
    struct fake_uart *out = &P[0].fb.uart[BOARD_UART_LINK_OUT];
    uint32_t poll_ms = until_poll_to_all(&tr);
    const uint32_t reply_ms = P[0].cfg.link.reply_ms; /* 100 ms: 10 ticks */
    unsigned reads = out->reads;
    ck_assert(out->rx_quiet);
    while (P[0].now - poll_ms < reply_ms) {
        uint32_t t = P[0].now;
        for (int k = 0; k < PACKS; k++)
            rig_tick(&P[k]);
        ck_assert_msg(out->rx_quiet, "interrupt on %u ms after the POLL", t - poll_ms);
        ck_assert_msg(out->reads == reads, "Out read %u ms after the POLL", t - poll_ms);
        wires(&tr, false, t);
    }
    ck_assert_uint_eq(out->rx_len - out->rx_pos, 3u * REPLY_LEN); /* all three wait */
    for (int k = 0; k < PACKS; k++)
        rig_tick(&P[k]); /* reply_ms after the POLL */
    ck_assert_uint_gt(out->reads, reads);
    ck_assert_uint_eq(out->rx_len - out->rx_pos, 0);
    ck_assert(!out->rx_quiet);
    for (int id = 2; id <= PACKS; id++) {
        ck_assert(P[0].bms.link.peer[id - 1].answered);
        ck_assert_uint_eq(P[0].bms.link.peer[id - 1].last_ok_ms, poll_ms + reply_ms);
    }
    ck_assert_uint_eq(P[0].bms.link.poll_id, 0); /* the round is over */
    ck_assert_uint_eq(bms_system_status(&P[0].bms)->pack_count, PACKS);
}
END_TEST

/* The master ticked as a board with interrupts wakes it: at bms_next_wakeup_ms, or at an
 * interrupt (the button, bytes on a UART whose receive interrupt is on: the fake board
 * does not notify a port the firmware turned quiet with uart_rx_wake). */
static void tick_master_on_wake(void)
{
    struct rig *m = &P[0];
    if (fake_board_interrupts(&m->fb, m->now))
        bms_input_changed(&m->bms);
    if ((int32_t)(m->now - bms_next_wakeup_ms(&m->bms)) >= 0)
        bms_tick(&m->bms, m->now);
    m->now += TICK_MS;
}

/* R-BT-3 in a steady round, the master woken only by its wakeups and interrupts (the
 * slaves ticked every 10 ms): its button released one tick after a POLL to all, it leaves
 * the round and reads the REPLYs as they come (docs/link-protocol.md, the REPLYs of a
 * pipelined round), so Link Port Out's receive interrupt is on again in the tick the
 * shutdown begins, and the first SHUT leaves in the tick the last REPLY wakes the master,
 * 60 ms after the POLL ("Shutdown"), not at the round's reply_ms (100 ms). */
START_TEST(shutdown_mid_round_wakes_on_replies)
{
    struct traffic tr;
    steady_then_long_press(&tr);
    struct fake_uart *out = &P[0].fb.uart[BOARD_UART_LINK_OUT];
    uint32_t poll_ms = until_poll_to_all(&tr);
    ck_assert(out->rx_quiet); /* the round's REPLYs wait for its end */
    P[0].fb.button = false;  /* released at the next tick */
    uint32_t begun_ms = 0, shut_ms = 0;
    for (uint32_t i = 0; i < 10000u / TICK_MS; i++) {
        uint32_t t = P[0].now;
        tick_master_on_wake();
        for (int k = 1; k < PACKS; k++)
            rig_tick(&P[k]);
        if (!begun_ms && P[0].bms.link.phase != BMS_LINK_SERVICE) {
            begun_ms = t;
            ck_assert_msg(!out->rx_quiet, "Out's interrupt still off as the shutdown began");
        }
        if (!shut_ms && has_frame(out->tx, out->tx_len, T_SHUT, 1, LAST_SLAVE))
            shut_ms = t;
        wires(&tr, true, t);
    }
    ck_assert_uint_eq(begun_ms - poll_ms, TICK_MS);
    ck_assert_msg(shut_ms && shut_ms - poll_ms == 2u * (LAST_SLAVE - 1) * TICK_MS,
                  "the first SHUT left %u ms after the POLL to all (want 60 ms)",
                  shut_ms - poll_ms);
    ck_assert(!out->rx_quiet);
    ck_assert_uint_eq(tr.both_ends, 0);
    ck_assert_uint_eq(tr.up[0].replies, 3);
    for (int k = 0; k < PACKS; k++)
        ck_assert_msg(rig_st(&P[k])->state == BMS_STATE_SHUTDOWN, "pack %d not shut down",
                      k + 1);
}
END_TEST

/* Every pack ticked at each 10 ms without an input notice, as the simulator's reference
 * mode does: link bytes are read at every tick, but no tick is asked for by them. */
static void tick_unnotified(void)
{
    for (int k = 0; k < PACKS; k++) {
        bms_tick(&P[k].bms, P[k].now);
        P[k].now += TICK_MS;
    }
}

/* A tick that only frames brought (docs/firmware.md, frames_only): in a steady second,
 * slave 2 answers the POLL to all and relays the REPLYs of slaves 3 and 4 in ticks that
 * are not its own 100 ms or 1 s tasks; those ticks leave what it shows uncounted
 * (views_gen, which the simulator's observers key on), while the frames still go up.
 * The packs are ticked every 10 ms as the simulator's reference mode does: link bytes
 * are no input notice (the rig's fake board notifies every waiting byte). */
START_TEST(relay_ticks_leave_views_alone)
{
    struct traffic tr;
    memset(&tr, 0, sizeof tr);
    start();
    run(&tr, 10000, false);
    struct bms *s2 = &P[1].bms;
    unsigned link_only = 0, full = 0;
    uint32_t frames_before = s2->link.frames_in;
    for (uint32_t i = 0; i < 1000u / TICK_MS; i++) {
        uint32_t t = P[0].now, views = s2->views_gen, in = s2->link.frames_in;
        tick_unnotified();
        if (s2->views_gen == views)
            link_only += s2->link.frames_in != in;
        else
            full++;
        wires(&tr, false, t);
    }
    ck_assert_uint_eq(s2->link.frames_in - frames_before, 3); /* the POLL, 2 REPLYs */
    ck_assert_uint_eq(link_only, 3);
    ck_assert_uint_ge(full, 1); /* its 1 s task (a quiet standby: the 100 ms task rides on it) */
    ck_assert_uint_eq(bms_system_status(&P[0].bms)->pack_count, PACKS);
}
END_TEST

/* R-BT-3 on the slaves' side: a tick whose only news is a SHUT is no frames-only tick
 * (docs/firmware.md, frames_only: a pending SHUT, WAKE or RUN runs the state machine).
 * The master shuts the chain down, last first; each slave, ticked without input notices,
 * begins its shutdown in the tick it reads the SHUT to it (the SHUT_ACK it sends there
 * says so): its state is shutdown and views_gen counts that tick, not 10 ms later. */
START_TEST(slave_shuts_in_the_tick_of_its_shut)
{
    struct traffic tr;
    steady_then_long_press(&tr);
    P[0].fb.button = false;
    unsigned shut_read = 0;
    for (uint32_t i = 0; i < 10000u / TICK_MS; i++) {
        uint32_t t = P[0].now, views[PACKS];
        bool shut_waits[PACKS];
        for (int k = 1; k < PACKS; k++) {
            const struct fake_uart *in = &P[k].fb.uart[BOARD_UART_LINK_IN];
            views[k] = P[k].bms.views_gen;
            shut_waits[k] = has_frame(in->rx + in->rx_pos, in->rx_len - in->rx_pos, T_SHUT, 1,
                                      (uint8_t)(k + 1));
        }
        tick_unnotified();
        for (int k = 1; k < PACKS; k++) {
            if (!shut_waits[k])
                continue;
            shut_read++;
            ck_assert_msg(P[k].bms.state == BMS_STATE_SHUTDOWN,
                          "slave %d read its SHUT at %u ms but is not shutting down", k + 1, t);
            ck_assert_msg(P[k].bms.views_gen != views[k],
                          "slave %d's SHUT tick at %u ms left views_gen alone", k + 1, t);
        }
        wires(&tr, false, t);
    }
    ck_assert_uint_eq(shut_read, PACKS - 1); /* each slave one SHUT, acknowledged at once */
    for (int k = 0; k < PACKS; k++)
        ck_assert_msg(P[k].bms.state == BMS_STATE_SHUTDOWN, "pack %d not shut down", k + 1);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("traffic", steady_round_hops),
    GTX_TEST(missed_reply_per_slave_then_steady),
    GTX_TEST(shutdown_after_poll_half_duplex),
    GTX_TEST(shutdown_behind_poll_to_one_answered),
    GTX_TEST(shutdown_behind_poll_to_one_unanswered),
    GTX_TEST(steady_replies_taken_at_round_end),
    GTX_TEST(shutdown_mid_round_wakes_on_replies),
    GTX_TEST(relay_ticks_leave_views_alone),
    GTX_TEST(slave_shuts_in_the_tick_of_its_shut),
};

int main(void)
{
    return gtx_check_main("link_traffic", tests, GTX_COUNT(tests), 60, NULL, false);
}
