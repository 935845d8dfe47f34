/* bridge_socketcan: the simulated inverter bus on a Linux SocketCAN interface
 * (can0 with a USB adapter, or vcan0), so a real inverter or can-utils can talk
 * to the simulated battery. Elsewhere it compiles to a clear refusal.
 */
#include "bridge_os.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__linux__)

#include <fcntl.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int bridge_socketcan_open(const char *iface, char *err, size_t err_len)
{
    int fd = socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_RAW);
    if (fd < 0) {
        if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)
            snprintf(err, err_len, "this kernel has no SocketCAN (AF_CAN): %s; use "
                     "--can socketcand or --can slcan instead", strerror(errno));
        else
            snprintf(err, err_len, "cannot open a CAN socket: %s", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", iface);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0) {
        snprintf(err, err_len, "no CAN interface '%s' (%s); a virtual one: sudo ip link add "
                 "dev %s type vcan && sudo ip link set up %s", iface, strerror(errno), iface,
                 iface);
        close(fd);
        return -1;
    }
    struct sockaddr_can addr;
    memset(&addr, 0, sizeof addr);
    addr.can_family = AF_CAN;
    addr.can_ifindex = ifr.ifr_ifindex;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        snprintf(err, err_len, "cannot bind to CAN interface '%s': %s", iface,
                 strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int bridge_socketcan_read(int fd, struct board_can_frame *f)
{
    struct can_frame cf;
    ssize_t n = read(fd, &cf, sizeof cf);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    if (n != (ssize_t)sizeof cf || (cf.can_id & (CAN_ERR_FLAG | CAN_RTR_FLAG)) ||
        cf.can_dlc > 8)
        return 0;
    memset(f, 0, sizeof *f);
    f->extended = (cf.can_id & CAN_EFF_FLAG) != 0;
    f->id = cf.can_id & (f->extended ? CAN_EFF_MASK : CAN_SFF_MASK);
    f->dlc = cf.can_dlc;
    memcpy(f->data, cf.data, f->dlc);
    return 1;
}

bool bridge_socketcan_write(int fd, const struct board_can_frame *f)
{
    struct can_frame cf;
    memset(&cf, 0, sizeof cf);
    cf.can_id = f->extended ? (f->id & CAN_EFF_MASK) | CAN_EFF_FLAG : f->id & CAN_SFF_MASK;
    cf.can_dlc = f->dlc <= 8 ? f->dlc : 8;
    memcpy(cf.data, f->data, cf.can_dlc);
    return write(fd, &cf, sizeof cf) == (ssize_t)sizeof cf;
}

#else

int bridge_socketcan_open(const char *iface, char *err, size_t err_len)
{
    snprintf(err, err_len, "SocketCAN (--can socketcan:%s) exists on Linux only; use "
             "--can socketcand or --can slcan", iface);
    return -1;
}

int bridge_socketcan_read(int fd, struct board_can_frame *f)
{
    (void)fd;
    (void)f;
    return -1;
}

bool bridge_socketcan_write(int fd, const struct board_can_frame *f)
{
    (void)fd;
    (void)f;
    return false;
}

#endif
