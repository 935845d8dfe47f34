/* board.h: the hardware abstraction layer between the BMS firmware and a board.
 * The simulator implements it in src/sim/, a real board on registers. Every
 * call takes the board instance, so several packs run in one process.
 */
#ifndef GTX_BOARD_H
#define GTX_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_CELLS 16
#define BOARD_NTCS 6 /* NTC 1-4 on cells 2, 6, 11, 15; 5 on the MOSFETs; 6 enclosure air */

/* One sample of the analogue front end, as the ADC delivers it. */
struct board_afe {
    uint16_t cell_mV[BOARD_CELLS];
    int16_t temp_ddegC[BOARD_NTCS]; /* 0.1 °C; an open NTC reads very cold, a short very hot */
    uint32_t battery_mV;            /* B+/B-: the cells' sum inside the MOSFETs */
    uint32_t pack_mV;               /* P+/P-: the terminals (the bus when the MOSFETs are off) */
};

/* A classic CAN frame, 11-bit (or 29-bit when extended) identifier. */
struct board_can_frame {
    uint32_t id;
    uint8_t dlc;
    bool extended;
    uint8_t data[8];
};

enum board_uart {
    BOARD_UART_LINK_IN,  /* Link Port In, RS485 half duplex */
    BOARD_UART_LINK_OUT, /* Link Port Out, RS485 half duplex */
    BOARD_UART_RS232,    /* service console */
    BOARD_UART_LCD,      /* extended LCD */
    BOARD_UART_COUNT
};

/* What the AFE watches on its own while the MCU sleeps (a BQ769x2's low-power scan, its
 * wake comparator and alert thresholds). An alert is the HAL's input-changed notification
 * (bms_input_changed). The firmware programs it with set_afe_watch: active (every sample
 * alerts, a scan each 100 ms) while anything is going on, quiet in a calm standby, off
 * once it lets its power go. The current is watched continuously (the wake comparator:
 * an alert as soon as |I| reaches current_wake_mA); the cells and NTCs at each scan. */
struct board_afe_watch {
    uint32_t scan_period_ms;                 /* 100 while active; up to 1000 when quiet;
                                              * 0: off (the MCU let its power go): no
                                              * scans, no alerts; read_afe still reads */
    int32_t current_wake_mA;                 /* |I| >= this alerts; 0: every sample alerts */
    uint16_t cell_min_mV, cell_max_mV;       /* a cell outside [min, max] alerts */
    uint32_t battery_min_mV, battery_max_mV; /* the stack (battery_mV) outside alerts */
    int16_t temp_min_ddegC, temp_max_ddegC;  /* an NTC outside [min, max] alerts */
};

/* Whether one scan (s, with the current) alerts under the watch w: the AFE's side of the
 * contract, the same for every board (the simulator, the tests' fake board). Pure. */
bool board_afe_watch_alerts(const struct board_afe_watch *w, const struct board_afe *s,
                            int32_t current_mA);
/* Whether the current alone alerts (the wake comparator, between scans too). */
bool board_afe_watch_current_alerts(const struct board_afe_watch *w, int32_t current_mA);

struct board;

struct board_ops {
    void (*read_afe)(struct board *b, struct board_afe *out);
    int32_t (*read_current_mA)(struct board *b); /* > 0 charging */
    void (*set_fets)(struct board *b, bool charge_on, bool discharge_on);
    void (*set_balancing)(struct board *b, uint16_t cell_mask); /* bit 0 = cell 1 */
    void (*set_leds)(struct board *b, uint8_t lit_mask);        /* bit 0 = L1 ... bit 7 = L8 */
    void (*set_dry_contacts)(struct board *b, bool prohibit_charge, bool prohibit_discharge);
    bool (*button_pressed)(struct board *b);
    bool (*can_send)(struct board *b, const struct board_can_frame *f); /* false: tx full */
    bool (*can_recv)(struct board *b, struct board_can_frame *f);       /* false: none waiting */
    size_t (*uart_write)(struct board *b, enum board_uart u, const uint8_t *data, size_t len);
    size_t (*uart_read)(struct board *b, enum board_uart u, uint8_t *data, size_t cap);
    /* Bytes received on u that uart_read would return now (a UART's RX FIFO level, a DMA
     * ring's count): a register look, so the firmware reads only the ports holding bytes. */
    size_t (*uart_waiting)(struct board *b, enum board_uart u);
    /* Whether bytes arriving on u raise the UART's receive interrupt, the HAL's
     * input-changed notification for u (on after init). Off, the bytes still go into the
     * receive FIFO and wait for the firmware to read them when it chooses. */
    void (*uart_rx_wake)(struct board *b, enum board_uart u, bool on);
    /* Byte-addressed non-volatile memory of nvm_size bytes. A write may be cut
     * short by a power cut: the firmware must survive a partial write. */
    bool (*nvm_read)(struct board *b, uint32_t addr, void *data, size_t len);
    bool (*nvm_write)(struct board *b, uint32_t addr, const void *data, size_t len);
    void (*power_hold)(struct board *b, bool hold); /* false: the BMS lets itself power off */
    /* Program the AFE's scan rate and alert window (struct board_afe_watch). Called at
     * init (active) and whenever the firmware goes quiet or active again. */
    void (*set_afe_watch)(struct board *b, const struct board_afe_watch *w);
};

struct board {
    const struct board_ops *ops;
    void *ctx;          /* the implementation's own data */
    uint32_t nvm_size;  /* bytes */
};

#endif
