/*
 * routes: the API's route table. Every route here must be described in
 * src/api/openapi.json (a unit test checks it).
 */
#include "http/http.h"

const struct route api_routes[] = {
	{"GET", "/api/health", api_health_get, 0, "服务状态"},
	{"GET", "/api/openapi.json", api_openapi_get, 0, "OpenAPI 3 描述"},
	{"GET", "/api/regions", api_regions_list, 0, "行政区划"},
	{"GET", "/api/departments", api_departments_list, 0, "市直部门"},
	{"GET", "/api/chains", api_chains_list, 0, "产业链"},
	{"GET", "/api/channels", api_channels_list, 0, "招商方式"},
	{"GET", "/api/rules", api_rules_list, 0, "26211 规则"},
	{"GET", "/api/events", api_events_list, 0, "招商活动"},
	{"GET", "/api/projects", api_projects_list, ROUTE_CACHE, "项目列表"},
	{"POST", "/api/projects", api_projects_create, ROUTE_JSON_BODY, "新建项目"},
	{"GET", "/api/projects/{code}", api_projects_get, ROUTE_CACHE, "项目详情"},
	{"PATCH", "/api/projects/{code}", api_projects_update, ROUTE_JSON_BODY, "修改项目"},
	{"PUT", "/api/projects/{code}/milestones/{milestone}", api_projects_milestone,
	 ROUTE_JSON_BODY, "填报节点"},
	{"POST", "/api/projects/{code}/termination", api_projects_terminate, ROUTE_JSON_BODY,
	 "终止项目"},
	{"GET", "/api/warnings", api_warnings_list, ROUTE_CACHE, "26211 提醒预警"},
	{"GET", "/api/reports/headline", api_reports_headline, ROUTE_CACHE, "主要指标"},
	{"GET", "/api/reports/breakdown", api_reports_breakdown, ROUTE_CACHE, "分解统计"},
	{"POST", "/api/import", api_import_post, ROUTE_RAW_BODY, "导入项目"},
	{"GET", "/api/export", api_export_get, 0, "导出项目"},
};

const int api_nroutes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));
