/*
 * evidence: typing, storing and collecting evidence files (see evidence.h).
 */
#include "evidence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "util/xalloc.h"

static const struct evidence_type types[] = {
	{"application/pdf", "pdf", "PDF"},
	{"image/jpeg", "jpg", "JPEG"},
	{"image/png", "png", "PNG"},
};

const struct evidence_type *evidence_sniff(const void *data, size_t len)
{
	const unsigned char *d = data;
	if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return &types[0];
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return &types[1];
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return &types[2];
	return NULL;
}

const struct evidence_type *evidence_type_of(const char *content_type)
{
	for (size_t i = 0; content_type && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].content_type, content_type) == 0)
			return &types[i];
	return NULL;
}

bool evidence_name_fits(const char *name, const struct evidence_type *t)
{
	const char *dot = strrchr(name, '.');
	if (!dot || strchr(dot, '/'))
		return true;
	const char *ext = dot + 1;
	if (strcasecmp(ext, t->ext) == 0)
		return true;
	return t == &types[1] && strcasecmp(ext, "jpeg") == 0;
}

bool evidence_kind_valid(const char *kind)
{
	static const char *const kinds[] = {"licence", "permit", "photo", "statistics", "other"};
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int evidence_write(const char *dir, const void *data, size_t len, const struct evidence_type *t,
		   char name[80], struct buf *err)
{
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		buf_addf(err, "无法创建证据目录 %s: %s", dir, strerror(errno));
		return -1;
	}
	char token[33];
	token_new(token);
	snprintf(name, 80, "%s.%s", token, t->ext);
	char *tmp = xstrfmt("%s/.tmp-%s", dir, name), *final = xstrfmt("%s/%s", dir, name);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		buf_addf(err, "无法写入证据文件: %s", strerror(errno));
		goto out;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			buf_addf(err, "写入证据文件失败: %s", strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		p += n;
		left -= (size_t)n;
	}
	/* The descriptor is closed whatever fsync says: a failing disk must not
	 * also keep the deleted file's blocks. */
	int synced = fsync(fd), sync_errno = errno;
	int closed = close(fd);
	if (synced != 0 || closed != 0) {
		buf_addf(err, "证据文件落盘失败: %s", strerror(synced != 0 ? sync_errno : errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, final) != 0) {
		buf_addf(err, "证据文件落盘失败: %s", strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (sync_dir(dir) != 0) {
		/* Renamed but not durable: the reply is a failure, so the file
		 * goes (it would be an orphan). */
		buf_addf(err, "证据文件落盘失败: %s", strerror(errno));
		unlink(final);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(final);
	return rc;
}

void evidence_unlink(const char *dir, const char *name)
{
	char *path = xstrfmt("%s/%s", dir, name);
	unlink(path);
	free(path);
	sync_dir(dir);
}

int evidence_read(const char *dir, const char *name, struct buf *out, struct buf *err)
{
	/* Stored names are ours (hex and an extension): nothing to escape. */
	char *path = xstrfmt("%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f) {
		buf_addf(err, "证据文件 %s 不可读: %s", name, strerror(errno));
		return -1;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_addf(err, "读取证据文件 %s 失败", name);
		return -1;
	}
	return 0;
}

int evidence_collect(struct store *s, const char *dir, int64_t min_age)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0; /* no folder yet: nothing to collect */
	int removed = 0;
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		char *path = xstrfmt("%s/%s", dir, n);
		struct stat st;
		bool old = stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			   (int64_t)(now - st.st_mtime) >= min_age;
		bool named = false;
		if (old && strncmp(n, ".tmp-", 5) != 0 && store_evidence_named(s, n, &named) != 0) {
			free(path);
			closedir(d);
			return -1;
		}
		if (old && !named && unlink(path) == 0)
			removed++;
		free(path);
	}
	closedir(d);
	if (removed)
		sync_dir(dir);
	return removed;
}
