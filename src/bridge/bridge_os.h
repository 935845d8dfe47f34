/* bridge_os.h: system helpers of src/bridge (file descriptors are
 * non-blocking and close-on-exec); the SocketCAN backend. Internal header. */
#ifndef GTX_BRIDGE_OS_H
#define GTX_BRIDGE_OS_H

#include <stdbool.h>
#include <stddef.h>

#include "gtx/board.h"

double bridge_os_now_s(void); /* monotonic wall clock */
/* A TCP listener on a numeric address; port 0 picks a free one. -1 with err. */
int bridge_os_listen(const char *addr, int port, int *actual_port, char *err, size_t err_len);
/* The next waiting connection, or -1; peer gets "ADDR:PORT". */
int bridge_os_accept(int lfd, char *peer, size_t peer_len);
/* A pseudo-terminal in raw mode: returns the master, keeps a slave open in
 * *slave_fd, the slave's path in path. -1 with err. */
int bridge_os_pty(int *slave_fd, char *path, size_t path_len, char *err, size_t err_len);
void bridge_os_flush_input(int tty_fd); /* drops what the client has not read yet */

/* SocketCAN (Linux): a raw CAN socket bound to iface, or -1 with a message
 * that says whether the kernel lacks AF_CAN or the interface is missing. */
int bridge_socketcan_open(const char *iface, char *err, size_t err_len);
/* 1 frame read, 0 none waiting, -1 the socket failed. Error and remote
 * frames are skipped (read as 0). */
int bridge_socketcan_read(int fd, struct board_can_frame *f);
bool bridge_socketcan_write(int fd, const struct board_can_frame *f);

#endif
