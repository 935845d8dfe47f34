/* fake_board: a board for the service-module tests: NVM that can lose power
 * at any write (even mid-write, byte-granular), and UART byte queues whose
 * transmit side can be throttled to prove the firmware never blocks.
 */
#ifndef FAKE_BOARD_H
#define FAKE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"

#define FAKE_NVM_SIZE 8192u
#define FAKE_UART_SIZE 65536u

struct fake_uart {
    uint8_t rx[FAKE_UART_SIZE]; /* bytes the firmware will read */
    size_t rx_len, rx_pos;
    uint8_t tx[FAKE_UART_SIZE]; /* bytes the firmware wrote */
    size_t tx_len;
    size_t tx_room; /* bytes uart_write accepts per call; SIZE_MAX: unlimited */
};

struct fake_board {
    struct board board;
    uint8_t nvm[FAKE_NVM_SIZE];
    uint32_t nvm_writes;      /* write calls so far */
    long cut_write;           /* the write call (0-based) that loses power; -1: never */
    size_t cut_bytes;         /* bytes of that write that still land */
    bool dead;                /* power lost: every later write fails */
    struct fake_uart uart[BOARD_UART_COUNT];
};

void fake_board_init(struct fake_board *fb);
/* Queue bytes for the firmware to read on a UART. */
void fake_uart_input(struct fake_board *fb, enum board_uart u, const void *data, size_t len);
/* Takes what the firmware wrote on a UART (NUL-terminated copy, up to cap-1). */
size_t fake_uart_take(struct fake_board *fb, enum board_uart u, char *out, size_t cap);

#endif
