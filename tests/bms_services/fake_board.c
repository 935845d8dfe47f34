/* fake_board: the test board of fake_board.h. */
#include "fake_board.h"

#include <stdint.h>
#include <string.h>

static struct fake_board *fb_of(struct board *b)
{
    return b->ctx;
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

static size_t uart_write(struct board *b, enum board_uart u, const uint8_t *data, size_t len)
{
    struct fake_uart *ua = &fb_of(b)->uart[u];
    size_t n = len;
    if (n > ua->tx_room)
        n = ua->tx_room;
    if (n > FAKE_UART_SIZE - ua->tx_len)
        n = FAKE_UART_SIZE - ua->tx_len;
    memcpy(ua->tx + ua->tx_len, data, n);
    ua->tx_len += n;
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
    return n;
}

static const struct board_ops fake_ops = {
    .nvm_read = nvm_read,
    .nvm_write = nvm_write,
    .uart_write = uart_write,
    .uart_read = uart_read,
};

void fake_board_init(struct fake_board *fb)
{
    memset(fb, 0, sizeof *fb);
    memset(fb->nvm, 0xFF, sizeof fb->nvm);
    fb->board.ops = &fake_ops;
    fb->board.ctx = fb;
    fb->board.nvm_size = FAKE_NVM_SIZE;
    fb->cut_write = -1;
    for (int u = 0; u < BOARD_UART_COUNT; u++)
        fb->uart[u].tx_room = SIZE_MAX;
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
