/*
 * enospc: an LD_PRELOAD shim that makes writes fail as on a full disk.
 *
 * While the file named by ZS_FAULT_SWITCH exists, write(), pwrite(),
 * pwrite64() and writev() on any file whose name contains ZS_FAULT_MATCH (the
 * database's folder) fail with ENOSPC, and fsync() and fdatasync() with EIO.
 * When the switch file is not empty, only fsync() and fdatasync() fail: the
 * data reaches the file but cannot be made durable, as on a failing device.
 * Sockets and other files are left alone, and errno is untouched when no fault
 * is injected. With ZS_FAULT_AFTER=N, the first N bytes written to matching
 * files while the switch is on still succeed (a disk that fills during a
 * write); a write that would pass N fails whole. Used by
 * tests/reliability/faults.py.
 *
 *   cc -shared -fPIC -o enospc.so enospc.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
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

/* Bytes let through by ZS_FAULT_AFTER so far. */
static atomic_ullong let_through;

/* Whether a write of bytes (is_sync 0) or a sync (is_sync 1) of fd must
 * fail now; errno is left as it was. */
static int faulty_n(int fd, int is_sync, size_t bytes)
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
	const char *after = getenv("ZS_FAULT_AFTER");
	if (hit && !is_sync && after && *after) {
		unsigned long long budget = strtoull(after, NULL, 10);
		unsigned long long used = atomic_load(&let_through);
		while (used + bytes <= budget &&
		       !atomic_compare_exchange_weak(&let_through, &used, used + bytes))
			;
		hit = used + bytes > budget;
	}
	errno = saved;
	return hit;
}

static int faulty(int fd, int is_sync)
{
	return faulty_n(fd, is_sync, 0);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write, write_fn);
	if (faulty_n(fd, 0, n)) {
		errno = ENOSPC;
		return -1;
	}
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite, pwrite_fn);
	if (faulty_n(fd, 0, n)) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64, pwrite64_fn);
	if (faulty_n(fd, 0, n)) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	REAL(writev, writev_fn);
	size_t n = 0;
	for (int i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	if (faulty_n(fd, 0, n)) {
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
