/*
 * routes: the API's route table. Every route here must be described in
 * src/api/openapi.json (a unit test checks it).
 */
#include "http/http.h"

const struct route api_routes[] = {
	{"GET", "/api/health", api_health_get, 0, PERM_PUBLIC, "服务状态"},
	{"GET", "/api/openapi.json", api_openapi_get, 0, PERM_PUBLIC, "OpenAPI 3 描述"},
	{"POST", "/api/session", api_session_create, ROUTE_JSON_BODY | ROUTE_SECRET, PERM_PUBLIC,
	 "登录"},
	{"GET", "/api/session", api_session_get, 0, PERM_SESSION, "当前用户"},
	{"DELETE", "/api/session", api_session_delete, 0, PERM_SESSION, "退出登录"},
	{"PUT", "/api/session/password", api_session_password, ROUTE_JSON_BODY | ROUTE_SECRET,
	 PERM_SESSION, "修改密码"},
	{"GET", "/api/regions", api_regions_list, 0, PERM_REFDATA, "行政区划"},
	{"GET", "/api/departments", api_departments_list, 0, PERM_REFDATA, "市直部门"},
	{"GET", "/api/chains", api_chains_list, 0, PERM_REFDATA, "产业链"},
	{"GET", "/api/channels", api_channels_list, 0, PERM_REFDATA, "招商方式"},
	{"GET", "/api/rules", api_rules_list, 0, PERM_REFDATA, "26211 规则"},
	{"GET", "/api/events", api_events_list, 0, PERM_REFDATA, "招商活动"},
	{"GET", "/api/projects", api_projects_list, ROUTE_CACHE, PERM_PROJECT_READ, "项目列表"},
	{"POST", "/api/projects", api_projects_create, ROUTE_JSON_BODY, PERM_PROJECT_WRITE,
	 "新建项目"},
	{"GET", "/api/projects/{code}", api_projects_get, ROUTE_CACHE, PERM_PROJECT_READ,
	 "项目详情"},
	{"PATCH", "/api/projects/{code}", api_projects_update, ROUTE_JSON_BODY, PERM_PROJECT_WRITE,
	 "修改项目"},
	{"GET", "/api/projects/{code}/history", api_projects_history, 0, PERM_PROJECT_READ,
	 "项目变更记录"},
	{"PUT", "/api/projects/{code}/milestones/{milestone}", api_projects_milestone,
	 ROUTE_JSON_BODY, PERM_PROJECT_WRITE, "填报节点"},
	{"POST", "/api/projects/{code}/termination", api_projects_terminate, ROUTE_JSON_BODY,
	 PERM_PROJECT_WRITE, "终止项目"},
	{"POST", "/api/projects/{code}/milestones/{milestone}/evidence", api_evidence_upload,
	 ROUTE_RAW_BODY, PERM_PROJECT_WRITE, "上传节点证据"},
	{"GET", "/api/projects/{code}/evidence", api_evidence_list, 0, PERM_PROJECT_READ,
	 "项目的证据文件"},
	{"GET", "/api/evidence/{id}", api_evidence_get, 0, PERM_PROJECT_READ, "下载证据文件"},
	{"GET", "/api/warnings", api_warnings_list, ROUTE_CACHE, PERM_PROJECT_READ,
	 "26211 提醒预警"},
	{"GET", "/api/reports/headline", api_reports_headline, ROUTE_CACHE, PERM_FIGURES,
	 "主要指标"},
	{"GET", "/api/reports/breakdown", api_reports_breakdown, ROUTE_CACHE, PERM_FIGURES,
	 "分解统计"},
	{"GET", "/api/reports/origins", api_reports_origins, ROUTE_CACHE, PERM_FIGURES,
	 "投资方来源 (热力图)"},
	{"POST", "/api/import", api_import_post, ROUTE_RAW_BODY, PERM_PROJECT_WRITE, "导入项目"},
	{"GET", "/api/export", api_export_get, 0, PERM_PROJECT_READ, "导出项目"},
	{"GET", "/api/audit", api_audit_list, 0, PERM_AUDIT, "审计记录"},
	{"GET", "/api/audit/verify", api_audit_verify, 0, PERM_AUDIT, "校验审计记录链"},
};

const int api_nroutes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));
