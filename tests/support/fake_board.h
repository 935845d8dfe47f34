/* fake_board.h: the one test board behind include/gtx/board.h, for every firmware test.
 * The test sets the sensors and the button and reads back what the firmware drove
 * (MOSFETs, LEDs, contacts, CAN frames, UART bytes); its NVM can lose power at any write,
 * even mid-write, and a UART's transmit side can be throttled to prove nothing blocks. */
#ifndef GTX_TEST_FAKE_BOARD_H
#define GTX_TEST_FAKE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"

#define FAKE_CAN_LOG 256
#define FAKE_CAN_RX 16
#define FAKE_NVM_SIZE 8192u
#define FAKE_UART_SIZE 65536u

struct fake_can_sent {
    uint32_t t_ms;
    struct board_can_frame f;
};

struct fake_uart {
    uint8_t rx[FAKE_UART_SIZE]; /* bytes the firmware will read */
    size_t rx_len, rx_pos;
    unsigned reads;             /* uart_read calls, to show idle ports are not read */
    uint8_t tx[FAKE_UART_SIZE]; /* bytes the firmware wrote (the first FAKE_UART_SIZE kept) */
    size_t tx_len;
    size_t tx_room; /* bytes uart_write accepts per call; SIZE_MAX: unlimited */
    bool rx_quiet;  /* the firmware turned the receive interrupt off (uart_rx_wake) */
};

struct fake_board {
    struct board board;
    uint32_t *clock_ms;       /* the test's time, to stamp sent frames (NULL: 0) */
    /* inputs */
    struct board_afe afe;
    int32_t current_mA;
    bool button;
    /* outputs */
    bool fet_chg, fet_dsg;
    uint16_t balancing;
    uint8_t leds;
    bool prohibit_chg, prohibit_dsg;
    bool power_hold;
    struct board_afe_watch afe_watch; /* as the firmware last programmed it */
    unsigned afe_watch_sets;          /* set_afe_watch calls */
    /* fake_board_interrupts: the AFE's own scans and the pins as last notified */
    uint32_t scan_ms;
    unsigned scans;
    bool irq_button;
    uint32_t irq_pack_mV;
    /* CAN */
    struct fake_can_sent sent[FAKE_CAN_LOG];
    unsigned sent_count;      /* total; the log keeps the last FAKE_CAN_LOG */
    struct board_can_frame rx[FAKE_CAN_RX];
    unsigned rx_head, rx_tail;
    /* NVM */
    uint8_t nvm[FAKE_NVM_SIZE];
    uint32_t nvm_writes;      /* write calls so far */
    long cut_write;           /* the write call (0-based) that loses power; -1: never */
    size_t cut_bytes;         /* bytes of that write that still land */
    bool dead;                /* power lost: every later write fails */
    struct fake_uart uart[BOARD_UART_COUNT];
};

/* Erased NVM, no power cut, unthrottled UARTs, 3.300 V cells, 25 °C, 0 A. */
void fake_board_init(struct fake_board *fb, uint32_t *clock_ms);
/* Every cell at cell_mV, battery and pack at their sum, cell NTCs at t_ddegC. */
void fake_board_set_cells(struct fake_board *fb, uint16_t cell_mV);
void fake_board_set_temps(struct fake_board *fb, int16_t t_ddegC);
bool fake_board_can_push(struct fake_board *fb, const struct board_can_frame *f);
/* The n-th frame sent (0 = first still logged), or NULL. */
const struct fake_can_sent *fake_board_sent(const struct fake_board *fb, unsigned n);
/* Queue bytes for the firmware to read on a UART. */
void fake_uart_input(struct fake_board *fb, enum board_uart u, const void *data, size_t len);
/* What the board's interrupts would tell the firmware at now_ms (bms_input_changed): the
 * button or the terminal voltage changed, a frame waits, bytes wait on a UART whose
 * receive interrupt is on (uart_rx_wake), or the AFE's scan (at
 * the watch's period) alerts. Call once per 10 ms step, before the tick. */
bool fake_board_interrupts(struct fake_board *fb, uint32_t now_ms);
/* Takes what the firmware wrote on a UART (NUL-terminated copy, up to cap-1). */
size_t fake_uart_take(struct fake_board *fb, enum board_uart u, char *out, size_t cap);

#endif
