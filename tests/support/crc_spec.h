/* crc_spec.h: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR)
 * computed bit by bit from its definition: the tests' reference for the firmware's
 * table-driven bms_crc16 (tests/bms_services/test_crc.c) and for the link frames they
 * build (tests/bms/test_link_rx.c).
 */
#ifndef GTX_TEST_CRC_SPEC_H
#define GTX_TEST_CRC_SPEC_H

#include <stddef.h>
#include <stdint.h>

#define CRC_SPEC_INIT 0xFFFFu

/* The CRC of n bytes at p, carried on from crc (CRC_SPEC_INIT for a fresh one). */
uint16_t crc_spec(const uint8_t *p, size_t n, uint16_t crc);

#endif
