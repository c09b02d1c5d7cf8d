/*
 * server: HTTP front of the API on libmicrohttpd (see server.h).
 *
 * One MHD daemon with an internal thread pool and epoll. Each pool thread
 * keeps its own database connection (thread-local), opened on first use, and
 * its own copy of the reference data, reloaded whenever the data version in
 * the database changes, so several server processes on one database stay
 * consistent. A request's life: the first call of the access handler only
 * allocates its context (answering on the first call makes MHD drop
 * keep-alive); the body is gathered up to a limit; on the last call the
 * request is checked (duplicate Content-Length / Transfer-Encoding, body
 * size, UTF-8, JSON), routed and answered exactly once.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/date.h"
#include "evidence.h"
#include "http/http.h"
#include "reminders.h"
#include "util/embedded.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MAX_JSON_BODY (1u << 20)   /* 1 MiB */
#define MAX_UPLOAD_BODY (64u << 20) /* 64 MiB */

static const char *server_db;
static const char *server_proxies; /* ",a,b," for a quick search, or NULL */
static const char *server_evidence;
static const char *server_tmpdir; /* where replies spill ($TMPDIR or /tmp) */

/*
 * A reply body past SPILL_THRESHOLD bytes goes on in a temporary file (no
 * name: O_TMPFILE, or unlinked at once) and is sent from it, so that the
 * server's memory grows neither with the size of a reply (the warnings at a
 * million projects are 31 MB, an export several hundred) nor with the number
 * of clients still receiving one: measured before this, four clients asking
 * for the warnings at once held 122 MiB of anonymous memory. When the file
 * cannot be created or written (the disk is full), the rest stays in memory
 * and the reply is sent from memory as before.
 */
#define SPILL_THRESHOLD (256u << 10)

struct spill {
	struct buf_sink sink; /* first: the body's sink is this */
	int fd;               /* -1 until the first flush */
	size_t size;          /* bytes in the file */
	bool failed;          /* a write failed: the rest stays in memory */
};

static int spill_open(void)
{
	const char *dir = server_tmpdir;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* A file system without O_TMPFILE: a named file, unlinked at once. */
	char *path = xstrfmt("%s/zhaoshang-reply-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

static int spill_flush(struct buf_sink *k, const char *data, size_t n)
{
	struct spill *sp = (struct spill *)k;
	if (sp->failed)
		return -1;
	if (sp->fd < 0)
		sp->fd = spill_open();
	size_t done = 0;
	while (sp->fd >= 0 && done < n) {
		ssize_t w = pwrite(sp->fd, data + done, n - done, (off_t)(sp->size + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (sp->fd < 0 || done < n) {
		/* What the file holds stays; the rest is kept in memory. */
		sp->failed = true;
		sp->sink.threshold = SIZE_MAX;
		return -1;
	}
	sp->size += n;
	return 0;
}

static void spill_reset(struct buf_sink *k)
{
	struct spill *sp = (struct spill *)k;
	if (sp->fd >= 0 && sp->size && ftruncate(sp->fd, 0) != 0) {
		close(sp->fd);
		sp->fd = -1;
	}
	sp->size = 0;
}

static void spill_init(struct spill *sp, struct buf *body)
{
	*sp = (struct spill){
		.sink = {.threshold = SPILL_THRESHOLD, .flush = spill_flush, .reset = spill_reset},
		.fd = -1,
	};
	body->sink = &sp->sink;
}

static void spill_close(struct spill *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
}

static size_t reply_size(const struct req *r)
{
	const struct spill *sp = (const struct spill *)r->body.sink;
	return (sp ? sp->size : 0) + r->body.len;
}

/* The reply's body as one malloc'd block of *len bytes (what went to the
 * file, then what stayed in memory), or NULL when the file cannot be read. */
static char *reply_bytes(struct req *r, size_t *len)
{
	struct spill *sp = (struct spill *)r->body.sink;
	size_t head = sp ? sp->size : 0;
	*len = head + r->body.len;
	char *all = xmalloc(*len ? *len : 1);
	size_t done = 0;
	while (done < head) {
		ssize_t n = pread(sp->fd, all + done, head - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(all);
			return NULL;
		}
		done += (size_t)n;
	}
	if (r->body.len)
		memcpy(all + head, r->body.data, r->body.len);
	return all;
}

/* A cached GET response: valid while the data version and today are the
 * ones it was made with. */
struct cache_entry {
	char *key;
	int32_t today;
	char *body;
	size_t len;
	uint64_t used;
};

/* Each pool thread caches at most CACHE_ENTRIES replies of at most
 * CACHE_MAX_BODY bytes, CACHE_BUDGET bytes in all (the least recently used
 * go first), so the caches of all threads stay within threads x
 * CACHE_BUDGET. */
#define CACHE_ENTRIES 64
#define CACHE_MAX_BODY (4u << 20)
#define CACHE_BUDGET (8u << 20)

/* Allocations from this size on are mapped from the system and returned to
 * it when freed (see server_run). */
#define MALLOC_MMAP_THRESHOLD (1u << 20)

/* Sessions a thread has read, by token hash (a slot per hash prefix), each
 * standing while the session version is the one it was read at. */
#define SESSION_SLOTS 64

struct session_slot {
	char hash[65]; /* "" for an empty slot */
	int64_t version;
	int epoch; /* of the listening connection it was read under */
	struct session x;
};

struct thread_state {
	struct session_slot sessions[SESSION_SLOTS];
	struct store *store;
	struct refdata rd;
	struct auth_config auth;
	int64_t rd_version;
	int rd_epoch; /* the listening connection's (watch.epoch) */
	bool rd_loaded;
	struct cache_entry cache[CACHE_ENTRIES];
	uint64_t cache_clock;
	size_t cache_bytes; /* of the bodies cached */
};

static void cache_drop(struct thread_state *ts, struct cache_entry *e)
{
	ts->cache_bytes -= e->len;
	free(e->key);
	free(e->body);
	e->key = NULL;
	e->body = NULL;
	e->len = 0;
}

static void cache_clear(struct thread_state *ts)
{
	for (int i = 0; i < CACHE_ENTRIES; i++)
		if (ts->cache[i].key)
			cache_drop(ts, &ts->cache[i]);
}

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

/* Runs when a pool thread ends: closes its connection. */
static void thread_state_free(void *p)
{
	struct thread_state *ts = p;
	for (int i = 0; i < SESSION_SLOTS; i++)
		session_release(&ts->sessions[i].x);
	cache_clear(ts);
	if (ts->rd_loaded)
		refdata_release(&ts->rd);
	store_close(ts->store);
	free(ts);
}

static void tls_init(void)
{
	pthread_key_create(&tls_key, thread_state_free);
}

struct conn_ctx {
	struct buf body;
	bool too_large;
	size_t limit;
};

/* ---- helpers for handlers ---- */

const char *req_query(struct req *r, const char *name)
{
	if (!r->conn) {
		for (const char *const *a = r->args; a && a[0]; a += 2)
			if (strcmp(a[0], name) == 0)
				return a[1];
		return NULL;
	}
	return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

void reply_json(struct req *r, int status)
{
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	r->replied = true;
}

int reply_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
		...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	buf_reset(&r->body);
	free(r->disposition);
	r->disposition = NULL;
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "code", code);
	jw_kstr(&w, "message", buf_cstr(&msg));
	jw_kstr(&w, "field", field);
	jw_obj_end(&w);
	jw_obj_end(&w);
	buf_release(&msg);
	reply_json(r, status);
	return -1;
}

int reply_store_error(struct req *r)
{
	fprintf(stderr, "zhaoshang: %s %s: %s\n", r->method, r->path, store_error(r->store));
	/* Out of reach (a failover in progress): the client may try again. */
	if (store_unavailable(r->store))
		return reply_error(r, 503, "storage_unavailable", NULL, "数据库暂不可用,请稍后重试: %s",
				   store_error(r->store));
	if (store_uncertain(r->store))
		return reply_error(r, 500, "commit_uncertain", NULL,
				   "保存结果不确定 (数据库提交时出错: %s),请稍后刷新核对是否已保存",
				   store_error(r->store));
	return reply_error(r, 500, "storage_error", NULL, "数据库错误: %s", store_error(r->store));
}

int query_date(struct req *r, const char *name, int32_t def, int32_t *out)
{
	const char *v = req_query(r, name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	if (date_parse_iso(v, out) != 0)
		return reply_error(r, 400, "invalid_parameter", name,
				   "参数 %s 的值 \"%s\" 不是有效日期 (应为 YYYY-MM-DD)", name, v);
	return 0;
}

int query_int(struct req *r, const char *name, long min, long max, long def, long *out)
{
	const char *v = req_query(r, name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return reply_error(r, 400, "invalid_parameter", name,
				   "参数 %s 的值 \"%s\" 应为 %ld 到 %ld 之间的整数", name, v, min, max);
	*out = n;
	return 0;
}

int query_bool(struct req *r, const char *name, bool *out)
{
	const char *v = req_query(r, name);
	*out = false;
	if (!v)
		return 0;
	if (!*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		return 0;
	return reply_error(r, 400, "invalid_parameter", name, "参数 %s 应为 1/0 或 true/false", name);
}

/* ---- routing ---- */

/* Matches path against pattern, filling r->params. */
static bool route_match(const char *pattern, const char *path, struct req *r)
{
	static __thread char params[MAX_PARAMS][256];
	int n = 0;
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *slash = strchr(u, '/');
			size_t len = slash ? (size_t)(slash - u) : strlen(u);
			if (!close || len == 0 || len >= sizeof(params[0]) || n >= MAX_PARAMS)
				return false;
			memcpy(params[n], u, len);
			params[n][len] = '\0';
			r->params[n] = params[n];
			n++;
			p = close + 1;
			u += len;
		} else if (*p++ != *u++) {
			return false;
		}
	}
	if (*p || *u)
		return false;
	r->nparams = n;
	return true;
}

/* ---- the versions, as this process knows them ---- */

/* With PostgreSQL a thread of the process listens for the versions'
 * notifications (migration 0016) and this process's own commits report
 * theirs (store_set_version_hook()): while it listens (live), a request
 * takes the data version from here instead of asking the database, and a
 * session read earlier at the current session version stands. A write
 * through this process is known before its reply is sent; one through
 * another process (another server, the command line) too, since that
 * process's commit returns only once every listening server has announced
 * the versions it raised (watch_announce()), or after a second for a
 * server that does not answer. While the listening connection is down, or
 * during the check it makes every second, each request asks the database
 * (and with SQLite always: there it costs a few microseconds). On one
 * connection the versions only grow, so the largest value heard is the
 * current one. */
static struct {
	atomic_int live;
	atomic_llong v[STORE_VERSION__MAX];
	/* Raised with each new listening connection, whose versions may be
	 * smaller than the last ones heard (a database restored): a session
	 * kept under an earlier one is read again. */
	atomic_int epoch;
	int wake[2]; /* written to at shutdown */
} watch = {.wake = {-1, -1}};

static void watch_set(enum store_version which, int64_t value)
{
	long long old = atomic_load(&watch.v[which]);
	while (old < value && !atomic_compare_exchange_weak(&watch.v[which], &old, value))
		;
}

static void watch_notified(void *ctx, enum store_version which, int64_t value)
{
	(void)ctx;
	watch_set(which, value);
}

static volatile sig_atomic_t stop_requested;

/* Tells the writers which versions this process knows, when they changed
 * since it last said (said): a commit elsewhere returns once every
 * listening server has announced the versions it raised, so that the
 * write is answered at once by every server (store_announce()). */
static int watch_announce(struct store *s, int64_t said[STORE_VERSION__MAX])
{
	int64_t v[STORE_VERSION__MAX];
	for (int i = 0; i < STORE_VERSION__MAX; i++)
		v[i] = atomic_load(&watch.v[i]);
	if (memcmp(v, said, sizeof(v)) == 0)
		return 0;
	if (store_announce(s, v) != 0)
		return -1;
	memcpy(said, v, sizeof(v));
	return 0;
}

/* Reads both versions with the listening connection (while it does, the
 * requests ask the database): once a second, so that a notification
 * missed is caught within a second and a connection that stopped
 * answering without closing stops being trusted; and on each new
 * connection, taking the values as they are (a database restored from a
 * backup may have smaller ones). */
static int watch_check(struct store *s, bool anew, int64_t said[STORE_VERSION__MAX])
{
	int64_t v[STORE_VERSION__MAX];
	atomic_store(&watch.live, 0);
	if (store_versions(s, v) != 0)
		return -1;
	for (int i = 0; i < STORE_VERSION__MAX; i++) {
		if (anew)
			atomic_store(&watch.v[i], v[i]);
		else
			watch_set((enum store_version)i, v[i]);
	}
	if (anew)
		atomic_fetch_add(&watch.epoch, 1);
	if (watch_announce(s, said) != 0)
		return -1;
	atomic_store(&watch.live, 1);
	return 0;
}

/* Waits ms, or until shutdown. */
static void watch_pause(int ms)
{
	struct pollfd pf = {watch.wake[0], POLLIN, 0};
	poll(&pf, 1, ms);
}

static void *watch_loop(void *arg)
{
	struct store *s = arg;
	bool reported = false;
	while (!stop_requested) {
		if (!s) {
			char *err = NULL;
			if (store_open(server_db, false, &s, &err) != 0) {
				if (!reported)
					fprintf(stderr, "zhaoshang: 版本通知: %s\n", err);
				reported = true;
				free(err);
				watch_pause(1000);
				continue;
			}
		}
		int64_t said[STORE_VERSION__MAX] = {-1, -1};
		int rc = store_listen(s);
		if (rc == 1)
			break; /* the backend has no notifications */
		if (rc != 0 || watch_check(s, true, said) != 0) {
			if (!reported)
				fprintf(stderr, "zhaoshang: 版本通知: %s\n", store_error(s));
			reported = true;
			store_close(s);
			s = NULL;
			watch_pause(1000);
			continue;
		}
		reported = false;
		time_t checked = time(NULL);
		while (!stop_requested) {
			if (store_notifications(s, watch.wake[0], 1000, watch_notified, NULL) != 0 ||
			    watch_announce(s, said) != 0)
				break;
			if (time(NULL) != checked) {
				checked = time(NULL);
				if (watch_check(s, false, said) != 0)
					break;
			}
		}
		atomic_store(&watch.live, 0);
		if (!stop_requested)
			fprintf(stderr, "zhaoshang: 版本通知中断,改为每个请求查询数据库: %s\n",
				store_error(s));
		store_close(s);
		s = NULL;
	}
	store_close(s);
	return NULL;
}

/* ---- sessions a thread has read ---- */

static char *dup_or_null(const char *p)
{
	return p ? xstrdup(p) : NULL;
}

static void session_copy(struct session *to, const struct session *from)
{
	*to = *from;
	const struct user *u = &from->user;
	to->user.username = dup_or_null(u->username);
	to->user.display_name = dup_or_null(u->display_name);
	to->user.role = dup_or_null(u->role);
	to->user.password_hash = dup_or_null(u->password_hash);
	to->user.password_changed_at = dup_or_null(u->password_changed_at);
	to->user.locked_until = dup_or_null(u->locked_until);
	to->user.created_at = dup_or_null(u->created_at);
}

static struct session_slot *session_slot(struct thread_state *ts, const char *hash)
{
	unsigned h = 0;
	for (int i = 0; i < 4 && hash[i]; i++)
		h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &ts->sessions[h % SESSION_SLOTS];
}

/* A copy of the session read at this session version, unless its idle
 * clock is due to be written (then it is read again: another thread or
 * server may have written it). */
static bool session_cached(struct thread_state *ts, const char *hash, int64_t version, int epoch,
			   int64_t now, struct session *x)
{
	struct session_slot *sl = session_slot(ts, hash);
	if (sl->version != version || sl->epoch != epoch || strcmp(sl->hash, hash) != 0 ||
	    now - sl->x.last_seen >= 60)
		return false;
	session_copy(x, &sl->x);
	return true;
}

static void session_keep(struct thread_state *ts, const char *hash, int64_t version, int epoch,
			 const struct session *x)
{
	struct session_slot *sl = session_slot(ts, hash);
	session_release(&sl->x);
	snprintf(sl->hash, sizeof(sl->hash), "%s", hash);
	sl->version = version;
	sl->epoch = epoch;
	session_copy(&sl->x, x);
}

static void session_touched(struct thread_state *ts, const char *hash, int64_t now)
{
	struct session_slot *sl = session_slot(ts, hash);
	if (strcmp(sl->hash, hash) == 0)
		sl->x.last_seen = now;
}

/* ---- per-thread database ---- */

/* The caller's session, when the route needs one and a cookie came: read
 * by thread_ready() together with the data version, used by
 * authenticate(). */
struct caller {
	const char *token; /* the cookie's token, NULL: none sent */
	char hash[65];
	int got; /* store_session_get(): 0 found, 1 none */
	struct session x;
};

static int thread_ready(struct req *r, bool signed_in, struct caller *cl)
{
	pthread_once(&tls_once, tls_init);
	struct thread_state *tls = pthread_getspecific(tls_key);
	if (!tls) {
		tls = xcalloc(1, sizeof(*tls));
		pthread_setspecific(tls_key, tls);
	}
	if (!tls->store) {
		char *err = NULL;
		if (store_open(server_db, false, &tls->store, &err) != 0) {
			reply_error(r, 503, "storage_unavailable", NULL, "数据库不可用: %s", err);
			free(err);
			return -1;
		}
	}
	int64_t version;
	int epoch = atomic_load(&watch.epoch);
	cl->token = signed_in ? req_session_cookie(r) : NULL;
	if (cl->token)
		token_hash(cl->token, cl->hash);
	bool live = atomic_load(&watch.live);
	if (live) {
		version = atomic_load(&watch.v[STORE_VERSION_DATA]);
		int64_t sv = atomic_load(&watch.v[STORE_VERSION_SESSION]);
		if (cl->token && session_cached(tls, cl->hash, sv, epoch, r->now, &cl->x)) {
			cl->got = 0;
		} else if (cl->token) {
			int64_t read_at;
			cl->got = store_session_get(tls->store, cl->hash, &cl->x, &read_at);
			if (cl->got == 0)
				session_keep(tls, cl->hash, sv, epoch, &cl->x);
		}
	} else if (cl->token) {
		cl->got = store_session_get(tls->store, cl->hash, &cl->x, &version);
	}
	if (cl->token ? cl->got < 0 : !live && store_data_version(tls->store, &version) != 0) {
		r->store = tls->store;
		return reply_store_error(r);
	}
	if (!tls->rd_loaded || version != tls->rd_version || epoch != tls->rd_epoch) {
		struct refdata rd;
		if (store_refdata_load(tls->store, &rd) != 0 ||
		    auth_config_load(tls->store, &tls->auth) != 0) {
			r->store = tls->store;
			return reply_store_error(r);
		}
		if (tls->rd_loaded)
			refdata_release(&tls->rd);
		cache_clear(tls);
		tls->rd = rd;
		tls->rd_loaded = true;
		tls->rd_version = version;
		tls->rd_epoch = epoch;
	}
	r->store = tls->store;
	r->rd = &tls->rd;
	r->auth = &tls->auth;
	r->ts = tls;
	return 0;
}

/* ---- who asks ---- */

const char *session_cookie_name(const struct req *r)
{
	/* __Host-: only over HTTPS, for this host, path /, Secure. */
	return r->https ? "__Host-zs_session" : "zs_session";
}

const char *req_session_cookie(struct req *r)
{
	struct MHD_Connection *c = r->conn;
	const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, session_cookie_name(r));
	if (!token)
		token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "zs_session");
	return token && strlen(token) == 32 ? token : NULL;
}

static bool proxy_trusted(const char *addr)
{
	if (!server_proxies || !*addr)
		return false;
	char key[72];
	snprintf(key, sizeof(key), ",%s,", addr);
	return strstr(server_proxies, key) != NULL;
}

/* The client's address and scheme: the peer's, or, from a trusted proxy,
 * the nearest address in X-Forwarded-For that is not a trusted proxy. */
static void client_of(struct req *r)
{
	struct MHD_Connection *c = r->conn;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	r->address[0] = '\0';
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->address,
				  sizeof(r->address));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->address,
				  sizeof(r->address));
	}
	if (!proxy_trusted(r->address))
		return;
	const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	r->https = proto && strcasecmp(proto, "https") == 0;
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	/* From the right: each hop appended the address it saw. */
	char list[512];
	snprintf(list, sizeof(list), "%s", xff);
	for (;;) {
		char *comma = strrchr(list, ',');
		char *item = comma ? comma + 1 : list;
		while (*item == ' ')
			item++;
		char *end = item + strlen(item);
		while (end > item && end[-1] == ' ')
			*--end = '\0';
		if (*item) {
			size_t n = strlen(item);
			if (n >= sizeof(r->address))
				n = sizeof(r->address) - 1;
			memcpy(r->address, item, n);
			r->address[n] = '\0';
			if (!proxy_trusted(item))
				return;
		}
		if (!comma)
			return;
		*comma = '\0';
	}
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Checks the caller's session (read by thread_ready()), the route's
 * permission and, for a write, the CSRF token. 0, or -1 after replying
 * 401/403. */
static int authenticate(struct req *r, const struct route *route, struct caller *cl,
			struct principal *who)
{
	struct MHD_Connection *c = r->conn;
	const char *token = cl->token;
	if (!token)
		return reply_error(r, 401, "unauthenticated", NULL, "请先登录");
	const char *hash = cl->hash;
	struct session x = cl->x;
	memset(&cl->x, 0, sizeof(cl->x)); /* released here */
	if (cl->got > 0)
		return reply_error(r, 401, "unauthenticated", NULL, "会话无效或已过期,请重新登录");
	const struct auth_config *cfg = r->auth;
	int rc = 0;
	if (r->now - x.last_seen > (int64_t)cfg->session_idle_minutes * 60 ||
	    r->now - x.created_at > (int64_t)cfg->session_hours * 3600 || x.user.disabled) {
		store_session_delete(r->store, hash);
		rc = reply_error(r, 401, "unauthenticated", NULL, "会话已过期,请重新登录");
		goto out;
	}
	if (principal_from_user(who, &x.user, r->address) != 0) {
		rc = reply_error(r, 403, "forbidden", NULL, "未知的角色 %s", x.user.role);
		goto out;
	}
	r->session_token = token;
	r->who = who;
	if (cfg->password_max_age_days > 0 && x.user.password_changed_at) {
		int32_t changed;
		if (date_parse_now(x.user.password_changed_at, &changed) == 0 &&
		    r->today - changed > cfg->password_max_age_days)
			r->password_expired = true;
	}
	if (r->password_expired && route->perm != PERM_SESSION) {
		rc = reply_error(r, 403, "password_expired", NULL, "密码已过期,请先修改密码");
		goto out;
	}
	if (!role_can(who->role, route->perm)) {
		rc = reply_error(r, 403, "forbidden", NULL, "当前角色 (%s) 无权执行此操作",
				 roles[who->role].label);
		goto out;
	}
	if (is_write(r->method)) {
		const char *sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		char want[65];
		csrf_token(token, want);
		if (!sent || !token_equal(sent, want)) {
			rc = reply_error(r, 403, "csrf_failed", NULL,
					 "缺少或无效的 X-CSRF-Token (请重新登录后再试)");
			goto out;
		}
	}
	/* Idle time counts from the last request; written at most once a
	 * minute, outside any data transaction. */
	if (r->now - x.last_seen >= 60) {
		if (store_session_touch(r->store, hash, r->now) == 0)
			session_touched(r->ts, hash, r->now);
		else /* Only the idle clock is lost (a full disk, say): the
		      * request is still served; the next one tries again. */
			fprintf(stderr, "zhaoshang: session not touched: %s\n", store_error(r->store));
	}
out:
	session_release(&x);
	return rc;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct buf *b = cls;
	(void)kind;
	buf_addc(b, '&');
	buf_adds(b, key);
	buf_addc(b, '=');
	buf_adds(b, value ? value : "");
	return MHD_YES;
}

/* The cache key of a GET: its path and arguments as received. */
static char *cache_key(struct req *r)
{
	struct buf b = BUF_INIT;
	/* Replies differ by what the caller may see. */
	if (r->who)
		buf_addf(&b, "%d:%lld:%lld|", (int)r->who->role, (long long)r->who->region_id,
			 (long long)r->who->chain_id);
	buf_adds(&b, r->path);
	MHD_get_connection_values((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND,
				  add_arg, &b);
	return buf_detach(&b);
}

static bool cache_get(struct req *r, const char *key)
{
	struct thread_state *ts = r->ts;
	for (int i = 0; i < CACHE_ENTRIES; i++) {
		struct cache_entry *e = &ts->cache[i];
		if (e->key && e->today == r->today && strcmp(e->key, key) == 0) {
			e->used = ++ts->cache_clock;
			buf_add(&r->body, e->body, e->len);
			reply_json(r, 200);
			return true;
		}
	}
	return false;
}

/* The least recently used entry in use (NULL when none is). */
static struct cache_entry *cache_lru(struct thread_state *ts)
{
	struct cache_entry *lru = NULL;
	for (int i = 0; i < CACHE_ENTRIES; i++)
		if (ts->cache[i].key && (!lru || ts->cache[i].used < lru->used))
			lru = &ts->cache[i];
	return lru;
}

/* Keeps r's reply (at most CACHE_MAX_BODY bytes) under key, which it takes
 * over, evicting the least recently used replies until it fits. */
static void cache_put(struct req *r, char *key)
{
	struct thread_state *ts = r->ts;
	size_t len;
	char *body = reply_bytes(r, &len);
	if (!body) {
		free(key);
		return;
	}
	while (ts->cache_bytes + len > CACHE_BUDGET)
		cache_drop(ts, cache_lru(ts));
	struct cache_entry *e = NULL;
	for (int i = 0; i < CACHE_ENTRIES && !e; i++)
		if (!ts->cache[i].key)
			e = &ts->cache[i];
	if (!e) {
		e = cache_lru(ts);
		cache_drop(ts, e);
	}
	e->key = key;
	e->today = r->today;
	e->used = ++ts->cache_clock;
	e->body = body;
	e->len = len;
	ts->cache_bytes += len;
}

/* Only these keys may appear in a small body; replies 400 otherwise. */
int req_only_keys(struct req *r, const char *const *allowed)
{
	const char *key;
	json_t *val;
	json_object_foreach(r->json, key, val)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok = ok || strcmp(*a, key) == 0;
		if (!ok)
			return reply_error(r, 400, "unknown_field", key, "未知的字段 \"%s\"", key);
	}
	return 0;
}

/* A string-or-null field of the body: 0 with *out (NULL when absent or null),
 * or -1 after replying. */
int req_body_string(struct req *r, const char *key, const char **out)
{
	json_t *v = json_object_get(r->json, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return reply_error(r, 400, "invalid_field", key, "字段 %s 必须是字符串", key);
	*out = json_string_value(v);
	return 0;
}

/* ---- MHD callbacks ---- */

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	(void)value;
	int *counts = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		counts[0]++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		counts[1]++;
	return MHD_YES;
}

static void add_common_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; frame-ancestors 'none'");
}

/* Queues r's reply. The body's storage is handed to MHD, which frees it
 * once sent (a large reply is not copied). */
static enum MHD_Result send_reply(struct MHD_Connection *conn, struct req *r)
{
	struct MHD_Response *resp;
	struct spill *sp = (struct spill *)r->body.sink;
	if (sp && sp->size && !sp->failed && r->body.len &&
	    spill_flush(&sp->sink, r->body.data, r->body.len) == 0)
		buf_release(&r->body);
	if (sp && sp->size && !sp->failed) {
		/* All of it in the file: sent from there (sendfile), which MHD
		 * closes with the response. */
		resp = MHD_create_response_from_fd64(sp->size, sp->fd);
		if (resp)
			sp->fd = -1;
	} else if (sp && sp->size) {
		/* Part in the file, the rest in memory: together in memory. */
		size_t len;
		char *all = reply_bytes(r, &len);
		if (!all)
			return MHD_NO;
		resp = MHD_create_response_from_buffer(len, all, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(all);
	} else if (r->body.len) {
		resp = MHD_create_response_from_buffer(r->body.len, r->body.data,
						       MHD_RESPMEM_MUST_FREE);
		if (resp)
			buf_init(&r->body);
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	add_common_headers(resp);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->content_type ? r->content_type : "application/json; charset=utf-8");
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->set_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- the web front end (web/dist, compiled in) ---- */

static const char *mime_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml"},             {".png", "image/png"},
		{".ico", "image/x-icon"},              {".woff2", "font/woff2"},
		{".woff", "font/woff"},                {".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Answers a GET outside /api/: a file of the built front end, or its
 * index.html for the application's own routes (history mode). Only names
 * made of safe characters are looked up. */
static enum MHD_Result serve_static(struct MHD_Connection *conn, const char *url)
{
	char path[256];
	bool safe = strlen(url) < 200 && !strstr(url, "..");
	for (const char *c = url; safe && *c; c++)
		safe = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		       strchr("/-_.~", *c);
	const struct embedded_file *f = NULL;
	if (safe && strcmp(url, "/") != 0) {
		snprintf(path, sizeof(path), "web/dist%s", url);
		f = embedded_find(path);
	}
	const char *last = strrchr(url, '/');
	bool asset = f != NULL;
	/* An application route (no extension) gets the page; a missing file 404. */
	if (!f && !(last && strchr(last, '.')))
		f = embedded_find("web/dist/index.html");
	static const char missing[] =
		"<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>zhaoshang</title>"
		"<p>网页界面未构建 (运行 make web 后重新编译)。JSON 接口在 /api/ 下。</p></html>";
	const void *data = f ? f->data : (const void *)missing;
	size_t size = f ? f->size : sizeof(missing) - 1;
	unsigned status = f || !(last && strchr(last, '.')) ? 200 : 404;
	if (status == 404) {
		data = "not found";
		size = 9;
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(size, (void *)data, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				status == 404 ? "text/plain; charset=utf-8"
				: asset	      ? mime_of(path)
					      : "text/html; charset=utf-8");
	/* Built assets carry a content hash in their names: cache them for good;
	 * the page itself is always asked again. */
	MHD_add_response_header(resp, "Cache-Control",
				asset && strncmp(url, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
									  : "no-cache");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
				" img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';"
				" object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	enum MHD_Result ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void dispatch(struct req *r, struct conn_ctx *cc)
{
	const struct route *route = NULL;
	bool path_known = false;
	for (int i = 0; i < api_nroutes; i++) {
		if (!route_match(api_routes[i].pattern, r->path, r))
			continue;
		path_known = true;
		if (strcmp(api_routes[i].method, r->method) == 0) {
			route = &api_routes[i];
			break;
		}
	}
	if (!route) {
		if (path_known)
			reply_error(r, 405, "method_not_allowed", NULL, "不支持的请求方法 %s", r->method);
		else
			reply_error(r, 404, "not_found", NULL, "没有这个接口: %s", r->path);
		return;
	}
	if (cc->too_large) {
		reply_error(r, 413, "body_too_large", NULL, "请求体超过 %zu 字节的上限", cc->limit);
		return;
	}
	if (route->flags & ROUTE_JSON_BODY) {
		if (!text_valid_utf8(buf_cstr(&cc->body), cc->body.len)) {
			reply_error(r, 400, "invalid_utf8", NULL, "请求体不是有效的 UTF-8");
			return;
		}
		json_error_t jerr;
		r->json = json_loadb(buf_cstr(&cc->body), cc->body.len, JSON_REJECT_DUPLICATES, &jerr);
		if (!r->json) {
			reply_error(r, 400, "invalid_json", NULL, "请求体不是有效的 JSON: %s (第 %d 行)",
				    jerr.text, jerr.line);
			return;
		}
		if (!json_is_object(r->json)) {
			reply_error(r, 400, "invalid_json", NULL, "请求体应为 JSON 对象");
			return;
		}
	} else if (route->flags & ROUTE_RAW_BODY) {
		r->body_data = buf_cstr(&cc->body);
		r->body_len = cc->body.len;
	}
	const char *err;
	if (date_today(&r->today, &err) != 0 || date_now_epoch(&r->now, &err) != 0) {
		reply_error(r, 500, "bad_clock", NULL, "ZHAOSHANG_NOW 无效: %s", err);
		return;
	}
	client_of(r);
	r->evidence_dir = server_evidence;
	struct caller cl = {0};
	bool signed_in = route->perm != PERM_PUBLIC;
	if (thread_ready(r, signed_in, &cl) != 0) {
		session_release(&cl.x);
		return;
	}
	struct principal who;
	if (signed_in && authenticate(r, route, &cl, &who) != 0)
		return;
	char *key = NULL;
	if (route->flags & ROUTE_CACHE) {
		key = cache_key(r);
		if (cache_get(r, key)) {
			free(key);
			return;
		}
	}
	route->handler(r);
	if (route->flags & ROUTE_SECRET) {
		secret_wipe(cc->body.data, cc->body.len);
		if (r->json) {
			/* The JSON strings are copies: wipe those too. */
			const char *k;
			json_t *v;
			json_object_foreach(r->json, k, v) if (json_is_string(v))
				secret_wipe((char *)json_string_value(v), json_string_length(v));
		}
	}
	r->who = NULL; /* points into this frame */
	if (key && r->replied && r->status == 200 && reply_size(r) <= CACHE_MAX_BODY)
		cache_put(r, key);
	else
		free(key);
	if (!r->replied)
		reply_error(r, 500, "no_reply", NULL, "内部错误: 接口没有返回结果");
}


struct qcheck {
	bool ok;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct qcheck *q = cls;
	(void)kind;
	if (!text_valid_utf8(key, strlen(key)) || (value && !text_valid_utf8(value, strlen(value))))
		q->ok = false;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct conn_ctx *cc = *con_cls;
	if (!cc) {
		cc = xcalloc(1, sizeof(*cc));
		size_t ul = strlen(url);
		cc->limit = strncmp(url, "/api/import", 11) == 0 ? MAX_UPLOAD_BODY
			    : ul > 9 && strcmp(url + ul - 9, "/evidence") == 0 ? EVIDENCE_MAX_BYTES
									      : MAX_JSON_BODY;
		*con_cls = cc;
		/* A declared body over the limit is refused before it is read
		 * (MHD then closes the connection). */
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > cc->limit) {
			struct req r = {0};
			r.method = method;
			r.path = url;
			reply_error(&r, 413, "body_too_large", NULL, "请求体超过 %zu 字节的上限",
				    cc->limit);
			enum MHD_Result ret = send_reply(conn, &r);
			buf_release(&r.body);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cc->too_large && cc->body.len + *upload_data_size <= cc->limit)
			buf_add(&cc->body, upload_data, *upload_data_size);
		else {
			cc->too_large = true;
			buf_release(&cc->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	struct req r = {0};
	r.method = method;
	r.path = url;
	r.conn = conn;
	r.status = 200;
	struct spill sp;
	spill_init(&sp, &r.body);
	int counts[2] = {0, 0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, counts);
	struct qcheck q = {true};
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, check_arg, &q);
	if (counts[0] > 1 || counts[1] > 1 || (counts[0] && counts[1]))
		reply_error(&r, 400, "bad_request", NULL,
			    "重复或冲突的 Content-Length / Transfer-Encoding 头");
	else if (!text_valid_utf8(url, strlen(url)) || !q.ok)
		reply_error(&r, 400, "invalid_utf8", NULL, "请求地址不是有效的 UTF-8");
	else if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0) {
		if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
			return serve_static(conn, url);
		reply_error(&r, 405, "method_not_allowed", NULL, "不支持的请求方法 %s", method);
	} else
		dispatch(&r, cc);
	enum MHD_Result ret = send_reply(conn, &r);
	spill_close(&sp);
	if (r.json)
		json_decref(r.json);
	buf_release(&r.body);
	free(r.disposition);
	free(r.set_cookie);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct conn_ctx *cc = *con_cls;
	if (cc) {
		buf_release(&cc->body);
		free(cc);
		*con_cls = NULL;
	}
}


/* The reminders, in the background: a minute after the start, then every
 * interval, on a connection of its own. Runs on several servers are safe
 * (the database decides what is new and who sends). */
static void *remind_loop(void *arg)
{
	unsigned interval = *(unsigned *)arg;
	unsigned wait = 60;
	while (!stop_requested) {
		sleep(1);
		if (--wait > 0)
			continue;
		wait = interval;
		struct store *s;
		char *err = NULL;
		if (store_open(server_db, false, &s, &err) != 0) {
			fprintf(stderr, "zhaoshang: 提醒: %s\n", err);
			free(err);
			continue;
		}
		struct refdata rd;
		int32_t today;
		struct remind_stats st;
		if (date_today(&today, NULL) == 0 && store_refdata_load(s, &rd) == 0) {
			if (reminders_run(s, &rd, today, &st) != 0)
				fprintf(stderr, "zhaoshang: 提醒: %s\n", store_error(s));
			refdata_release(&rd);
		}
		store_close(s);
	}
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int server_run(const struct server_opts *o)
{
	/* A fixed threshold: glibc would otherwise raise it to the size of each
	 * large block freed (up to 32 MiB), and a large reply (the warnings list,
	 * an export) would then be carved from a thread's heap, which keeps the
	 * memory once it is freed. */
	mallopt(M_MMAP_THRESHOLD, (int)MALLOC_MMAP_THRESHOLD);
	server_db = o->db;
	server_evidence = o->evidence_dir;
	server_tmpdir = getenv("TMPDIR");
	if (!server_tmpdir || !*server_tmpdir)
		server_tmpdir = "/tmp";
	char *proxies = NULL;
	if (o->trusted_proxies && *o->trusted_proxies) {
		proxies = xstrfmt(",%s,", o->trusted_proxies);
		for (char *p = proxies, *q = proxies; ; p++) {
			if (*p != ' ')
				*q++ = *p;
			if (!*p)
				break;
		}
		server_proxies = proxies;
	}
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, o->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(o->port);
	} else if (inet_pton(AF_INET6, o->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(o->port);
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "zhaoshang: 无效的监听地址 %s\n", o->host);
		return -1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, o->port, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, o->timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "zhaoshang: 无法在 %s:%u 上监听: %s\n", o->host, o->port, strerror(errno));
		return -1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char *shown = store_redact_url(o->db);
	printf("zhaoshang 正在服务 http://%s%s%s:%u/ (数据库 %s)\n", strchr(o->host, ':') ? "[" : "",
	       o->host, strchr(o->host, ':') ? "]" : "", info ? info->port : o->port, shown);
	free(shown);
	fflush(stdout);
	/* The versions' notifications, where the backend has them. */
	pthread_t watcher;
	bool watching = false;
	struct store *ws = NULL;
	char *werr = NULL;
	bool unopened = store_open(server_db, false, &ws, &werr) != 0;
	if (unopened) {
		free(werr); /* the requests say so; the thread tries again */
		ws = NULL;
	} else if (store_listen(ws) == 1) {
		store_close(ws);
		ws = NULL;
	}
	if ((ws || unopened) && pipe(watch.wake) == 0) {
		store_set_version_hook(watch_set);
		watching = pthread_create(&watcher, NULL, watch_loop, ws) == 0;
	}
	if (!watching)
		store_close(ws);
	pthread_t reminder;
	unsigned interval = o->remind_interval;
	bool reminding = interval > 0 && pthread_create(&reminder, NULL, remind_loop, &interval) == 0;
	while (!stop_requested)
		pause();
	MHD_stop_daemon(d);
	if (watching) {
		(void)!write(watch.wake[1], "", 1);
		pthread_join(watcher, NULL);
	}
	if (reminding)
		pthread_join(reminder, NULL);
	free(proxies);
	return 0;
}
