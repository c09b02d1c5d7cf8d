/*
 * server: the HTTP server (libmicrohttpd, a thread pool with epoll).
 */
#ifndef ZS_SERVER_H
#define ZS_SERVER_H

#include <stdint.h>

struct server_opts {
	const char *db;      /* store URL */
	const char *host;    /* listen address (IPv4 or IPv6 literal) */
	uint16_t port;
	unsigned threads;    /* worker threads */
	unsigned per_ip;     /* connections per client address */
	unsigned timeout;    /* idle connection timeout, seconds */
	/* Comma-separated addresses of reverse proxies whose X-Forwarded-For and
	 * X-Forwarded-Proto are believed; NULL: none. */
	const char *trusted_proxies;
	const char *evidence_dir; /* NULL: evidence uploads are refused */
	unsigned remind_interval; /* seconds between reminder runs; 0: none */
};

/* Runs until SIGINT or SIGTERM. Returns 0 on a clean stop, -1 when the server
 * could not start (message printed). */
int server_run(const struct server_opts *o);

#endif
