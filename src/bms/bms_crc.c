/* bms_crc: CRC-16/CCITT-FALSE and the committed NVM record of bms_crc.h, the
 * one place that knows how a record survives a power cut.
 */
#include "bms_crc.h"

#include <string.h>

/* A nibble table: 32 bytes of flash instead of 512, fast enough for records. */
static const uint16_t crc16_nibble[16] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50A5, 0x60C6, 0x70E7,
    0x8108, 0x9129, 0xA14A, 0xB16B, 0xC18C, 0xD1AD, 0xE1CE, 0xF1EF,
};

uint16_t bms_crc16(const void *data, size_t len, uint16_t crc)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        crc = (uint16_t)((crc << 4) ^ crc16_nibble[((crc >> 12) ^ (p[i] >> 4)) & 0x0Fu]);
        crc = (uint16_t)((crc << 4) ^ crc16_nibble[((crc >> 12) ^ (p[i] & 0x0Fu)) & 0x0Fu]);
    }
    return crc;
}

#define NVREC_BODY_MAX 32u

bool bms_nvrec_write(struct board *b, uint32_t addr, const void *body, size_t len)
{
    if (len > NVREC_BODY_MAX)
        return false;
    uint8_t tail[2];
    uint16_t crc = bms_crc16(body, len, 0xFFFFu);
    tail[0] = (uint8_t)(crc & 0xFFu);
    tail[1] = (uint8_t)(crc >> 8);
    /* Clear the commit byte first: from here until the last write the slot
     * reads invalid, whatever mix of old and new bytes a cut leaves. */
    const uint8_t clear = 0x00u, commit = BMS_NVREC_COMMIT;
    uint32_t commit_addr = addr + (uint32_t)len + 2u;
    if (!b->ops->nvm_write(b, commit_addr, &clear, 1))
        return false;
    if (!b->ops->nvm_write(b, addr, body, len))
        return false;
    if (!b->ops->nvm_write(b, addr + (uint32_t)len, tail, 2))
        return false;
    return b->ops->nvm_write(b, commit_addr, &commit, 1);
}

bool bms_nvrec_read(struct board *b, uint32_t addr, void *body, size_t len)
{
    uint8_t buf[NVREC_BODY_MAX + BMS_NVREC_OVERHEAD];
    if (len > NVREC_BODY_MAX)
        return false;
    if (!b->ops->nvm_read(b, addr, buf, len + BMS_NVREC_OVERHEAD))
        return false;
    if (buf[len + 2u] != BMS_NVREC_COMMIT)
        return false;
    uint16_t crc = (uint16_t)(buf[len] | (buf[len + 1u] << 8));
    if (bms_crc16(buf, len, 0xFFFFu) != crc)
        return false;
    memcpy(body, buf, len);
    return true;
}
