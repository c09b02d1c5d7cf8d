/*
 * api_io: import (the file's bytes as the request body) and export of the
 * interchange table, the same code as `zhaoshang import` / `export`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "http/http.h"
#include "import.h"
#include "util/json.h"

static void msgs_json(struct jw *w, const struct import_result *res, bool warnings)
{
	jw_arr(w);
	for (int i = 0; i < res->nmsgs; i++) {
		const struct import_msg *m = &res->msgs[i];
		if (m->warning != warnings)
			continue;
		jw_obj(w);
		jw_kint(w, "line", m->line);
		jw_kstr(w, "column", m->column);
		jw_kstr(w, "message", m->message);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void api_import_post(struct req *r)
{
	bool dry_run;
	if (query_bool(r, "dry_run", &dry_run) != 0)
		return;
	if (r->body_len == 0) {
		reply_error(r, 400, "invalid_field", "file", "请求体为空:请上传 CSV 或 XLSX 文件");
		return;
	}
	struct import_opts o = {.dry_run = dry_run, .today = r->today, .who = r->who};
	struct import_result res;
	int rc = import_run(r->store, r->rd, r->body_data, r->body_len, &o, &res);
	if (rc < 0) {
		import_result_release(&res);
		reply_store_error(r);
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	if (rc > 0) {
		jw_key(&w, "error");
		jw_obj(&w);
		jw_kstr(&w, "code", res.forbidden ? "forbidden" : "invalid_file");
		jw_kstr(&w, "message", res.forbidden ? "文件含有其他区域的项目,无权导入,未写入任何数据"
						     : "文件有错误,未写入任何数据");
		jw_kstr(&w, "field", "file");
		jw_obj_end(&w);
	}
	jw_kbool(&w, "ok", rc == 0);
	jw_kbool(&w, "dry_run", dry_run);
	jw_kstr(&w, "encoding", res.encoding);
	jw_kint(&w, "rows", res.rows);
	jw_kint(&w, "created", rc == 0 ? res.created : 0);
	jw_kint(&w, "updated", rc == 0 ? res.updated : 0);
	jw_kint(&w, "unchanged", rc == 0 ? res.unchanged : 0);
	jw_key(&w, "errors");
	msgs_json(&w, &res, false);
	jw_key(&w, "warnings");
	msgs_json(&w, &res, true);
	jw_obj_end(&w);
	int status = rc == 0 ? 200 : res.forbidden ? 403 : 400;
	import_result_release(&res);
	reply_json(r, status);
}

void api_export_get(struct req *r)
{
	struct project_filter f;
	if (api_project_filter(r, &f) != 0)
		return;
	const char *format = req_query(r, "format");
	const char *keys = req_query(r, "keys");
	bool xlsx = false;
	if (format && strcmp(format, "xlsx") == 0)
		xlsx = true;
	else if (format && *format && strcmp(format, "csv") != 0) {
		reply_error(r, 400, "invalid_parameter", "format", "format 应为 csv 或 xlsx");
		return;
	}
	bool english = false;
	if (keys && strcmp(keys, "en") == 0)
		english = true;
	else if (keys && *keys && strcmp(keys, "zh") != 0) {
		reply_error(r, 400, "invalid_parameter", "keys", "keys 应为 zh 或 en");
		return;
	}
	f.sort = SORT_CODE;
	f.desc = false;
	struct buf err = BUF_INIT;
	if (!xlsx) {
		if (export_run(r->store, r->rd, &f, EXPORT_CSV, english, &r->body, NULL, &err) != 0)
			goto fail;
		r->content_type = "text/csv; charset=utf-8";
		r->disposition = strdup("attachment; filename=\"projects.csv\"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE.csv");
	} else {
		char path[] = "/tmp/zhaoshang-export-XXXXXX";
		int fd = mkstemp(path);
		if (fd < 0) {
			buf_adds(&err, "无法创建临时文件");
			goto fail;
		}
		close(fd);
		int rc = export_run(r->store, r->rd, &f, EXPORT_XLSX, english, NULL, path, &err);
		FILE *fp = rc == 0 ? fopen(path, "rb") : NULL;
		if (fp) {
			char chunk[65536];
			size_t n;
			while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
				buf_add(&r->body, chunk, n);
			fclose(fp);
		}
		unlink(path);
		if (rc != 0 || !fp)
			goto fail;
		r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		r->disposition = strdup("attachment; filename=\"projects.xlsx\"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE.xlsx");
	}
	buf_release(&err);
	r->status = 200;
	r->replied = true;
	return;
fail:
	reply_error(r, 500, "export_failed", NULL, "导出失败: %s", buf_cstr(&err));
	buf_release(&err);
}
