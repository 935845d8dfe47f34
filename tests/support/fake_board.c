/* fake_board.c: the test board of fake_board.h. */
#include "fake_board.h"

#include <string.h>

static struct fake_board *fb_of(struct board *b)
{
    return b->ctx;
}

static void read_afe(struct board *b, struct board_afe *out)
{
    *out = fb_of(b)->afe;
}

static int32_t read_current(struct board *b)
{
    return fb_of(b)->current_mA;
}

static void set_fets(struct board *b, bool c, bool d)
{
    fb_of(b)->fet_chg = c;
    fb_of(b)->fet_dsg = d;
}

static void set_balancing(struct board *b, uint16_t m)
{
    fb_of(b)->balancing = m;
}

static void set_leds(struct board *b, uint8_t m)
{
    fb_of(b)->leds = m;
}

static void set_dry(struct board *b, bool pc, bool pd)
{
    fb_of(b)->prohibit_chg = pc;
    fb_of(b)->prohibit_dsg = pd;
}

static bool button(struct board *b)
{
    return fb_of(b)->button;
}

static bool can_send(struct board *b, const struct board_can_frame *f)
{
    struct fake_board *fb = fb_of(b);
    struct fake_can_sent *s = &fb->sent[fb->sent_count % FAKE_CAN_LOG];
    s->t_ms = fb->clock_ms ? *fb->clock_ms : 0;
    s->f = *f;
    fb->sent_count++;
    return true;
}

static bool can_recv(struct board *b, struct board_can_frame *f)
{
    struct fake_board *fb = fb_of(b);
    if (fb->rx_head == fb->rx_tail)
        return false;
    *f = fb->rx[fb->rx_tail % FAKE_CAN_RX];
    fb->rx_tail++;
    return true;
}

/* Accepts up to tx_room bytes; beyond the buffer they are accepted and dropped, as on a
 * line nobody listens to (a long firmware run must not see a UART that stops). */
static size_t uart_write(struct board *b, enum board_uart u, const uint8_t *data, size_t len)
{
    struct fake_uart *ua = &fb_of(b)->uart[u];
    size_t n = len < ua->tx_room ? len : ua->tx_room;
    size_t keep = n < FAKE_UART_SIZE - ua->tx_len ? n : FAKE_UART_SIZE - ua->tx_len;
    memcpy(ua->tx + ua->tx_len, data, keep);
    ua->tx_len += keep;
    return n;
}

static size_t uart_read(struct board *b, enum board_uart u, uint8_t *data, size_t cap)
{
    struct fake_uart *ua = &fb_of(b)->uart[u];
    size_t n = ua->rx_len - ua->rx_pos;
    if (n > cap)
        n = cap;
    memcpy(data, ua->rx + ua->rx_pos, n);
    ua->rx_pos += n;
    ua->reads++;
    return n;
}

static size_t uart_waiting(struct board *b, enum board_uart u)
{
    const struct fake_uart *ua = &fb_of(b)->uart[u];
    return ua->rx_len - ua->rx_pos;
}

static bool nvm_read(struct board *b, uint32_t addr, void *data, size_t len)
{
    struct fake_board *fb = fb_of(b);
    if (addr > FAKE_NVM_SIZE || len > FAKE_NVM_SIZE - addr)
        return false;
    memcpy(data, fb->nvm + addr, len);
    return true;
}

static bool nvm_write(struct board *b, uint32_t addr, const void *data, size_t len)
{
    struct fake_board *fb = fb_of(b);
    if (fb->dead || addr > FAKE_NVM_SIZE || len > FAKE_NVM_SIZE - addr)
        return false;
    if (fb->cut_write >= 0 && fb->nvm_writes == (uint32_t)fb->cut_write) {
        size_t n = fb->cut_bytes < len ? fb->cut_bytes : len;
        memcpy(fb->nvm + addr, data, n);
        fb->dead = true;
        fb->nvm_writes++;
        return false;
    }
    memcpy(fb->nvm + addr, data, len);
    fb->nvm_writes++;
    return true;
}

static void uart_rx_wake(struct board *b, enum board_uart u, bool on)
{
    if ((unsigned)u < BOARD_UART_COUNT)
        fb_of(b)->uart[u].rx_quiet = !on;
}

static void power_hold(struct board *b, bool hold)
{
    fb_of(b)->power_hold = hold;
}

static void set_afe_watch(struct board *b, const struct board_afe_watch *w)
{
    struct fake_board *fb = fb_of(b);
    fb->afe_watch = *w;
    fb->afe_watch_sets++;
    fb->scan_ms = fb->clock_ms ? *fb->clock_ms : 0; /* the first scan one period on */
}

static const struct board_ops fake_ops = {
    .read_afe = read_afe,
    .read_current_mA = read_current,
    .set_fets = set_fets,
    .set_balancing = set_balancing,
    .set_leds = set_leds,
    .set_dry_contacts = set_dry,
    .button_pressed = button,
    .can_send = can_send,
    .can_recv = can_recv,
    .uart_write = uart_write,
    .uart_read = uart_read,
    .uart_waiting = uart_waiting,
    .uart_rx_wake = uart_rx_wake,
    .nvm_read = nvm_read,
    .nvm_write = nvm_write,
    .power_hold = power_hold,
    .set_afe_watch = set_afe_watch,
};

void fake_board_init(struct fake_board *fb, uint32_t *clock_ms)
{
    memset(fb, 0, sizeof *fb);
    memset(fb->nvm, 0xFF, sizeof fb->nvm);
    fb->board.ops = &fake_ops;
    fb->board.ctx = fb;
    fb->board.nvm_size = FAKE_NVM_SIZE;
    fb->clock_ms = clock_ms;
    fb->cut_write = -1;
    for (int u = 0; u < BOARD_UART_COUNT; u++)
        fb->uart[u].tx_room = SIZE_MAX;
    fake_board_set_cells(fb, 3300);
    fake_board_set_temps(fb, 250);
}

void fake_board_set_cells(struct fake_board *fb, uint16_t cell_mV)
{
    for (int i = 0; i < BOARD_CELLS; i++)
        fb->afe.cell_mV[i] = cell_mV;
    fb->afe.battery_mV = (uint32_t)cell_mV * BOARD_CELLS;
    fb->afe.pack_mV = fb->afe.battery_mV;
}

void fake_board_set_temps(struct fake_board *fb, int16_t t_ddegC)
{
    for (int i = 0; i < BOARD_NTCS; i++)
        fb->afe.temp_ddegC[i] = t_ddegC;
}

bool fake_board_can_push(struct fake_board *fb, const struct board_can_frame *f)
{
    if (fb->rx_head - fb->rx_tail >= FAKE_CAN_RX)
        return false;
    fb->rx[fb->rx_head % FAKE_CAN_RX] = *f;
    fb->rx_head++;
    return true;
}

const struct fake_can_sent *fake_board_sent(const struct fake_board *fb, unsigned n)
{
    unsigned first = fb->sent_count > FAKE_CAN_LOG ? fb->sent_count - FAKE_CAN_LOG : 0;
    if (n < first || n >= fb->sent_count)
        return NULL;
    return &fb->sent[n % FAKE_CAN_LOG];
}

void fake_uart_input(struct fake_board *fb, enum board_uart u, const void *data, size_t len)
{
    struct fake_uart *ua = &fb->uart[u];
    if (ua->rx_pos == ua->rx_len)
        ua->rx_pos = ua->rx_len = 0;
    if (len > FAKE_UART_SIZE - ua->rx_len)
        len = FAKE_UART_SIZE - ua->rx_len;
    memcpy(ua->rx + ua->rx_len, data, len);
    ua->rx_len += len;
}

size_t fake_uart_take(struct fake_board *fb, enum board_uart u, char *out, size_t cap)
{
    struct fake_uart *ua = &fb->uart[u];
    size_t n = ua->tx_len < cap - 1 ? ua->tx_len : cap - 1;
    memcpy(out, ua->tx, n);
    out[n] = '\0';
    memmove(ua->tx, ua->tx + n, ua->tx_len - n);
    ua->tx_len -= n;
    return n;
}

bool fake_board_interrupts(struct fake_board *fb, uint32_t now_ms)
{
    bool irq = false;
    if (fb->button != fb->irq_button || fb->afe.pack_mV != fb->irq_pack_mV) {
        fb->irq_button = fb->button; /* a pin: the button, the terminals' wake circuit */
        fb->irq_pack_mV = fb->afe.pack_mV;
        irq = true;
    }
    if (fb->rx_head != fb->rx_tail)
        irq = true;
    for (int u = 0; u < BOARD_UART_COUNT; u++) /* a UART notifies unless its interrupt is off */
        if (fb->uart[u].rx_pos < fb->uart[u].rx_len && !fb->uart[u].rx_quiet)
            irq = true;
    const struct board_afe_watch *w = &fb->afe_watch;
    if (w->current_wake_mA > 0 && board_afe_watch_current_alerts(w, fb->current_mA))
        irq = true; /* the wake comparator, between scans too */
    if (w->scan_period_ms && (uint32_t)(now_ms - fb->scan_ms) >= w->scan_period_ms) {
        fb->scan_ms = now_ms;
        fb->scans++;
        if (board_afe_watch_alerts(w, &fb->afe, fb->current_mA))
            irq = true;
    }
    return irq;
}
