/* sim_io: the simulated board of one pack, implementing include/gtx/board.h.
 * It holds what the firmware's pins and peripherals show: the sampled AFE
 * values, commanded MOSFETs, LEDs, relays, button, UART wires, CAN port, NVM. */
#ifndef GTX_SIM_IO_H
#define GTX_SIM_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/byte_fifo.h"
#include "gtx/board.h"
#include "gtx/can_bus.h"

#define SIM_NVM_SIZE 8192u

struct sim_io {
    struct board board; /* ops + ctx (= this) + nvm_size: what the firmware holds */

    /* inputs, set by the simulator before each firmware tick */
    struct board_afe afe;
    int32_t current_mA;
    bool button;

    /* outputs, as the firmware last set them */
    bool fet_charge, fet_discharge;
    uint16_t balance_mask;
    uint8_t leds_lit;
    bool prohibit_charge, prohibit_discharge;
    bool power_hold;
    struct board_afe_watch afe_watch; /* as the firmware last programmed the AFE */
    /* The firmware changed what the plant's scan period reads of it (afe_watch's period
     * or wake current, power_hold) since the simulator last looked (it clears it). */
    bool scan_asked_changed;

    struct can_bus *can;  /* NULL: the CAN port is not on any bus */
    int can_node;
    /* Sees every frame the firmware sends, on a bus or not (a test rig's tap). */
    void (*can_tap)(void *ctx, const struct board_can_frame *f);
    void *can_tap_ctx;

    struct byte_fifo uart_to_fw[BOARD_UART_COUNT];   /* what the firmware reads */
    /* What it wrote on the UARTs that end in the simulator (a reader takes it: the window,
     * a pty, sim_view); a Link Port's bytes go straight to the other end (link_to). */
    struct byte_fifo console_out; /* BOARD_UART_RS232 */
    struct byte_fifo lcd_out;     /* BOARD_UART_LCD */
    /* A Link Port's cable (the simulator sets it): what the firmware writes on the port
     * goes straight into the FIFO at the other end, on its way (byte_fifo_stage) until
     * the simulator lets it arrive; NULL: no cable, the bytes go nowhere. */
    struct byte_fifo *link_to[BOARD_UART_COUNT];
    /* The firmware turned the receive interrupt of the UART off (uart_rx_wake): bytes
     * arriving there do not wake it. */
    bool rx_quiet[BOARD_UART_COUNT];

    uint8_t nvm[SIM_NVM_SIZE];
    uint32_t nvm_writes;
};

void sim_io_init(struct sim_io *io);

#endif
