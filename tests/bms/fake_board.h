/* fake_board.h: a board for the firmware tests. The test sets the sensor values and
 * the button, and reads back what the firmware drove: MOSFETs, LEDs, contacts, CAN. */
#ifndef GTX_TEST_FAKE_BOARD_H
#define GTX_TEST_FAKE_BOARD_H

#include "gtx/board.h"

#define FAKE_CAN_LOG 256
#define FAKE_CAN_RX 16
#define FAKE_NVM 4096

struct fake_can_sent {
    uint32_t t_ms;
    struct board_can_frame f;
};

struct fake_board {
    struct board board;
    uint32_t *clock_ms;             /* the test's time, to stamp sent frames */
    struct board_afe afe;
    int32_t current_mA;
    bool button;
    /* outputs */
    bool fet_chg, fet_dsg;
    uint16_t balancing;
    uint8_t leds;
    bool prohibit_chg, prohibit_dsg;
    bool power_hold;
    /* CAN */
    struct fake_can_sent sent[FAKE_CAN_LOG];
    unsigned sent_count;            /* total; the log keeps the last FAKE_CAN_LOG */
    struct board_can_frame rx[FAKE_CAN_RX];
    unsigned rx_head, rx_tail;
    uint8_t nvm[FAKE_NVM];
};

void fake_board_init(struct fake_board *fb, uint32_t *clock_ms);
/* Every cell at cell_mV, battery and pack at their sum, cell NTCs at t_ddegC. */
void fake_board_set_cells(struct fake_board *fb, uint16_t cell_mV);
void fake_board_set_temps(struct fake_board *fb, int16_t t_ddegC);
bool fake_board_can_push(struct fake_board *fb, const struct board_can_frame *f);
/* The n-th frame sent (0 = first still logged), or NULL. */
const struct fake_can_sent *fake_board_sent(const struct fake_board *fb, unsigned n);

#endif
