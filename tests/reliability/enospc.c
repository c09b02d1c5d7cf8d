/*
 * enospc: an LD_PRELOAD shim that makes writes fail as on a full disk.
 *
 * While the file named by ZS_FAULT_SWITCH exists, write(), pwrite(),
 * pwrite64() and writev() on any file whose name contains ZS_FAULT_MATCH (the
 * database's folder) fail with ENOSPC, and fsync() and fdatasync() with EIO.
 * When the switch file is not empty, only fsync() and fdatasync() fail: the
 * data reaches the file but cannot be made durable, as on a failing device.
 * Sockets and other files are left alone, and errno is untouched when no fault
 * is injected. Used by tests/reliability/faults.py.
 *
 *   cc -shared -fPIC -o enospc.so enospc.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef int (*sync_fn)(int);

/* The next definition of name (libc's), looked up once. */
#define REAL(name, type)                                                                           \
	static type real_##name;                                                                   \
	if (!real_##name)                                                                          \
	real_##name = (type)dlsym(RTLD_NEXT, #name)

/* Whether a write (is_sync 0) or a sync (is_sync 1) of fd must fail now;
 * errno is left as it was. */
static int faulty(int fd, int is_sync)
{
	int saved = errno;
	const char *sw = getenv("ZS_FAULT_SWITCH"), *match = getenv("ZS_FAULT_MATCH");
	struct stat st;
	int hit = 0;
	if (sw && *sw && match && *match && stat(sw, &st) == 0 &&
	    (is_sync || st.st_size == 0)) {
		char link[64], path[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = '\0';
			hit = strstr(path, match) != NULL;
		}
	}
	errno = saved;
	return hit;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write, write_fn);
	if (faulty(fd, 0)) {
		errno = ENOSPC;
		return -1;
	}
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite, pwrite_fn);
	if (faulty(fd, 0)) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64, pwrite64_fn);
	if (faulty(fd, 0)) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	REAL(writev, writev_fn);
	if (faulty(fd, 0)) {
		errno = ENOSPC;
		return -1;
	}
	return real_writev(fd, iov, iovcnt);
}

int fsync(int fd)
{
	REAL(fsync, sync_fn);
	if (faulty(fd, 1)) {
		errno = EIO;
		return -1;
	}
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync, sync_fn);
	if (faulty(fd, 1)) {
		errno = EIO;
		return -1;
	}
	return real_fdatasync(fd);
}
