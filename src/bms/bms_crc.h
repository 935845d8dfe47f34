/* bms_crc: CRC-16 and power-cut-safe NVM records shared by the event log and
 * the SOC store. A record is body + CRC + commit byte; the commit byte is
 * cleared first and set last, so a cut at any byte leaves it either old-invalid
 * or complete.
 */
#ifndef GTX_BMS_CRC_H
#define GTX_BMS_CRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"

#define BMS_NVREC_COMMIT 0xA5u /* the last byte of a complete record */
#define BMS_NVREC_OVERHEAD 3u  /* CRC-16 (little endian) + commit byte */

/* CRC-16/CCITT-FALSE (poly 0x1021); pass 0xFFFF as crc to start. */
uint16_t bms_crc16(const void *data, size_t len, uint16_t crc);

/* Writes body (len bytes) at addr as a committed record occupying
 * len + BMS_NVREC_OVERHEAD bytes: commit byte cleared, body + CRC, commit set. */
bool bms_nvrec_write(struct board *b, uint32_t addr, const void *body, size_t len);

/* Reads a record written by bms_nvrec_write; false when absent, cut or corrupt. */
bool bms_nvrec_read(struct board *b, uint32_t addr, void *body, size_t len);

#endif
