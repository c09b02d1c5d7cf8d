/*
 * api_evidence: uploading, listing and downloading a milestone's evidence.
 *
 * An upload is the raw file as the request body, with the kind and the
 * original name in the query. The type is judged by content; HTML or a
 * script named ".pdf" is refused. Files are served back only as
 * attachments, with their detected type and nosniff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "audit.h"
#include "domain/date.h"
#include "evidence.h"
#include "http/http.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/xalloc.h"

static void evidence_json(struct jw *w, const struct evidence *e)
{
	jw_obj(w);
	jw_kint(w, "id", e->id);
	jw_kstr(w, "code", e->code);
	jw_kstr(w, "milestone", e->milestone);
	jw_kstr(w, "kind", e->kind);
	jw_kstr(w, "file_name", e->file_name);
	jw_kstr(w, "content_type", e->content_type);
	jw_kint(w, "size", e->size);
	jw_kstr(w, "sha256", e->sha256);
	jw_kstr(w, "uploaded_by", e->uploaded_by);
	jw_kstr(w, "uploaded_at", e->uploaded_at);
	jw_obj_end(w);
}

/* The uploaded name without any folder part, or NULL when unusable. */
static char *clean_name(const char *name)
{
	const char *base = name;
	for (const char *c = name; *c; c++)
		if (*c == '/' || *c == '\\')
			base = c + 1;
	for (const unsigned char *c = (const unsigned char *)base; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '"')
			return NULL;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || text_length(base) > 100)
		return NULL;
	return xstrdup(base);
}

/* Stores the body as evidence of project code under label (a milestone's
 * key, or "progress:YYYY-MM" for a month's progress entry) and replies. */
static void upload(struct req *r, const char *code, const char *ms)
{
	const char *kind = req_query(r, "kind"), *name = req_query(r, "name");
	if (!evidence_kind_valid(kind)) {
		reply_error(r, 400, "invalid_parameter", "kind",
			    "kind 应为 licence (营业执照)、permit (施工许可)、photo (照片)、statistics (入库证明) 或 other");
		return;
	}
	char *file_name = name ? clean_name(name) : NULL;
	if (!file_name) {
		reply_error(r, 400, "invalid_parameter", "name",
			    "name 应为原文件名 (不含路径和控制字符,最多 100 个字符)");
		return;
	}
	const struct evidence_type *t = evidence_sniff(r->body_data, r->body_len);
	struct project p;
	char stored[80];
	struct buf err = BUF_INIT;
	if (r->body_len == 0) {
		reply_error(r, 400, "invalid_field", "file", "请求体为空:请上传证据文件");
	} else if (!t) {
		reply_error(r, 415, "unsupported_media_type", "file",
			    "文件内容不是 PDF、JPEG 或 PNG (按内容判断,不看扩展名)");
	} else if (!evidence_name_fits(file_name, t)) {
		reply_error(r, 415, "unsupported_media_type", "name",
			    "文件名的扩展名与内容 (%s) 不符", t->label);
	} else if (!r->evidence_dir) {
		reply_error(r, 503, "evidence_unavailable", NULL,
			    "未配置证据文件目录 (zhaoshang serve --evidence-dir)");
	} else if (api_visible_project(r, code, &p) == 0) {
		/* The file is on disk, synced, before the row commits. */
		if (evidence_write(r->evidence_dir, r->body_data, r->body_len, t, stored, &err) != 0) {
			reply_error(r, 500, "storage_error", NULL, "%s", buf_cstr(&err));
		} else {
			char sha[65], at[21];
			sha256_hex(r->body_data, r->body_len, sha);
			date_format_utc(r->now, at);
			struct evidence e = {
				.project_id = p.id, .code = p.code, .milestone = ms, .kind = kind,
				.file_name = file_name, .content_type = t->content_type,
				.size = (int64_t)r->body_len, .sha256 = sha, .stored_name = stored,
				.uploaded_by = r->who->username, .uploaded_at = at,
			};
			struct buf j = BUF_INIT;
			struct jw w;
			/* The trail's row names the file's id: written once it has one. */
			if (store_begin(r->store) != 0 || store_evidence_insert(r->store, &e) != 0 ||
			    (jw_init(&w, &j), evidence_json(&w, &e),
			     audit_append(r->store, r->who, "evidence.add", "project", p.code, NULL,
					  buf_cstr(&j))) != 0 ||
			    store_commit(r->store) != 0) {
				store_rollback(r->store);
				evidence_unlink(r->evidence_dir, stored);
				reply_store_error(r);
			} else {
				jw_init(&w, &r->body);
				evidence_json(&w, &e);
				reply_json(r, 201);
			}
			buf_release(&j);
		}
		project_release(&p);
	}
	buf_release(&err);
	free(file_name);
}

void api_evidence_upload(struct req *r)
{
	if (milestone_find(r->params[1]) < 0) {
		reply_error(r, 404, "not_found", "milestone",
			    "没有节点 %s (可用: signed、registered、started、included、producing)",
			    r->params[1]);
		return;
	}
	upload(r, r->params[0], r->params[1]);
}

void api_progress_evidence(struct req *r)
{
	int y, m;
	struct project p;
	if (assess_month_parse(r->params[1], &y, &m) != 0) {
		reply_error(r, 400, "invalid_parameter", "month", "月份应为 YYYY-MM");
		return;
	}
	if (date_from_ymd(y, m, 1) > r->today) {
		reply_error(r, 400, "invalid_parameter", "month", "不能为尚未开始的月份上传照片");
		return;
	}
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	bool major = p.major;
	project_release(&p);
	if (!major) {
		reply_error(r, 409, "conflict", "code", "%s 不是重大项目", r->params[0]);
		return;
	}
	char label[24];
	snprintf(label, sizeof(label), "progress:%04d-%02d", y, m);
	upload(r, r->params[0], label);
}

static int list_item(void *ctx, const struct evidence *e)
{
	evidence_json(ctx, e);
	return 0;
}

void api_evidence_list(struct req *r)
{
	struct project p;
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	int rc = store_evidence_list(r->store, p.id, list_item, &w);
	project_release(&p);
	if (rc != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

struct found {
	bool found;
	int64_t project_id;
	char *stored, *name, *type, *code;
};

static int found_row(void *ctx, const struct evidence *e)
{
	struct found *f = ctx;
	f->found = true;
	f->project_id = e->project_id;
	f->stored = xstrdup(e->stored_name);
	f->name = xstrdup(e->file_name);
	f->type = xstrdup(e->content_type);
	f->code = xstrdup(e->code);
	return 1;
}

/* Content-Disposition with the name for every browser (RFC 6266/5987). */
static char *attachment(const char *name)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "attachment; filename=\"evidence");
	const char *dot = strrchr(name, '.');
	if (dot && strlen(dot) <= 6)
		buf_adds(&b, dot);
	buf_adds(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("-._~", *c))
			buf_addc(&b, (char)*c);
		else
			buf_addf(&b, "%%%02X", *c);
	}
	return buf_detach(&b);
}

void api_evidence_get(struct req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0) {
		reply_error(r, 404, "not_found", "id", "没有这个证据文件");
		return;
	}
	struct found f = {0};
	struct project p;
	if (store_evidence_get(r->store, id, found_row, &f) != 0) {
		reply_store_error(r);
	} else if (!f.found) {
		reply_error(r, 404, "not_found", "id", "没有这个证据文件");
	} else if (!r->evidence_dir) {
		reply_error(r, 503, "evidence_unavailable", NULL, "未配置证据文件目录");
	} else if (api_visible_project(r, f.code, &p) == 0) {
		project_release(&p);
		struct buf err = BUF_INIT;
		buf_reset(&r->body);
		if (evidence_read(r->evidence_dir, f.stored, &r->body, &err) != 0) {
			reply_error(r, 500, "storage_error", NULL, "%s", buf_cstr(&err));
		} else {
			const struct evidence_type *t = evidence_type_of(f.type);
			r->status = 200;
			r->content_type = t ? t->content_type : "application/octet-stream";
			r->disposition = attachment(f.name);
			r->replied = true;
		}
		buf_release(&err);
	}
	free(f.stored);
	free(f.name);
	free(f.type);
	free(f.code);
}
