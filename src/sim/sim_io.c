/* sim_io: the board.h operations over struct sim_io (see sim_io.h). */
#include "gtx/sim_io.h"

#include <string.h>

static struct sim_io *io_of(struct board *b)
{
    return (struct sim_io *)b->ctx;
}

static void io_read_afe(struct board *b, struct board_afe *out)
{
    *out = io_of(b)->afe;
}

static int32_t io_read_current(struct board *b)
{
    return io_of(b)->current_mA;
}

static void io_set_fets(struct board *b, bool charge_on, bool discharge_on)
{
    io_of(b)->fet_charge = charge_on;
    io_of(b)->fet_discharge = discharge_on;
}

static void io_set_balancing(struct board *b, uint16_t mask)
{
    io_of(b)->balance_mask = mask;
}

static void io_set_leds(struct board *b, uint8_t lit)
{
    io_of(b)->leds_lit = lit;
}

static void io_set_dry(struct board *b, bool prohibit_charge, bool prohibit_discharge)
{
    io_of(b)->prohibit_charge = prohibit_charge;
    io_of(b)->prohibit_discharge = prohibit_discharge;
}

static bool io_button(struct board *b)
{
    return io_of(b)->button;
}

static bool io_can_send(struct board *b, const struct board_can_frame *f)
{
    struct sim_io *io = io_of(b);
    if (io->can_tap)
        io->can_tap(io->can_tap_ctx, f);
    if (!io->can)
        return true; /* no bus: the transceiver drives an open line */
    can_bus_send(io->can, io->can_node, f);
    return true;
}

static bool io_can_recv(struct board *b, struct board_can_frame *f)
{
    struct sim_io *io = io_of(b);
    return io->can ? can_bus_recv(io->can, io->can_node, f) : false;
}

static size_t io_uart_write(struct board *b, enum board_uart u, const uint8_t *d, size_t n)
{
    if ((unsigned)u >= BOARD_UART_COUNT)
        return 0;
    struct sim_io *io = io_of(b);
    if (u == BOARD_UART_LINK_IN || u == BOARD_UART_LINK_OUT) {
        /* The transmitter sends every byte; what the other end's FIFO cannot hold is
         * lost there (an overrun at the receiver). */
        if (io->link_to[u])
            byte_fifo_stage(io->link_to[u], d, n);
        return n;
    }
    return byte_fifo_write(u == BOARD_UART_RS232 ? &io->console_out : &io->lcd_out, d, n);
}

static size_t io_uart_read(struct board *b, enum board_uart u, uint8_t *d, size_t cap)
{
    if ((unsigned)u >= BOARD_UART_COUNT)
        return 0;
    return byte_fifo_read(&io_of(b)->uart_to_fw[u], d, cap);
}

static size_t io_uart_waiting(struct board *b, enum board_uart u)
{
    if ((unsigned)u >= BOARD_UART_COUNT)
        return 0;
    return byte_fifo_used(&io_of(b)->uart_to_fw[u]);
}

static void io_uart_rx_wake(struct board *b, enum board_uart u, bool on)
{
    if ((unsigned)u < BOARD_UART_COUNT)
        io_of(b)->rx_quiet[u] = !on;
}

static bool io_nvm_read(struct board *b, uint32_t addr, void *data, size_t len)
{
    struct sim_io *io = io_of(b);
    if (addr > SIM_NVM_SIZE || len > SIM_NVM_SIZE - addr)
        return false;
    memcpy(data, io->nvm + addr, len);
    return true;
}

static bool io_nvm_write(struct board *b, uint32_t addr, const void *data, size_t len)
{
    struct sim_io *io = io_of(b);
    if (addr > SIM_NVM_SIZE || len > SIM_NVM_SIZE - addr)
        return false;
    memcpy(io->nvm + addr, data, len);
    io->nvm_writes++;
    return true;
}

static void io_power_hold(struct board *b, bool hold)
{
    struct sim_io *io = io_of(b);
    io->scan_asked_changed |= io->power_hold != hold;
    io->power_hold = hold;
}

static void io_set_afe_watch(struct board *b, const struct board_afe_watch *w)
{
    struct sim_io *io = io_of(b);
    io->scan_asked_changed |= io->afe_watch.scan_period_ms != w->scan_period_ms ||
                              io->afe_watch.current_wake_mA != w->current_wake_mA;
    io->afe_watch = *w;
}

static const struct board_ops sim_io_ops = {
    .read_afe = io_read_afe,
    .read_current_mA = io_read_current,
    .set_fets = io_set_fets,
    .set_balancing = io_set_balancing,
    .set_leds = io_set_leds,
    .set_dry_contacts = io_set_dry,
    .button_pressed = io_button,
    .can_send = io_can_send,
    .can_recv = io_can_recv,
    .uart_write = io_uart_write,
    .uart_read = io_uart_read,
    .uart_waiting = io_uart_waiting,
    .uart_rx_wake = io_uart_rx_wake,
    .nvm_read = io_nvm_read,
    .nvm_write = io_nvm_write,
    .power_hold = io_power_hold,
    .set_afe_watch = io_set_afe_watch,
};

void sim_io_init(struct sim_io *io)
{
    memset(io, 0, sizeof *io);
    io->board.ops = &sim_io_ops;
    io->board.ctx = io;
    io->board.nvm_size = SIM_NVM_SIZE;
    memset(io->nvm, 0xFF, sizeof io->nvm); /* erased flash reads all ones */
    io->can_node = -1;
}
