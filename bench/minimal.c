/*
 * minimal: the ceiling of the HTTP layer. A libmicrohttpd server in the mode
 * zhaoshang serve uses (internal polling thread, epoll, a pool of 2 threads)
 * that answers every request with the same ~200-byte JSON. Like zhaoshang it
 * queues the response on the second call of the access handler (answering on
 * the first makes MHD 0.9.75 close the connection, see STACK.md).
 *
 *   minimal [PORT] [PER_IP_LIMIT]   listens on 127.0.0.1 (0 = any free port)
 *
 * Prints "http://127.0.0.1:PORT/" on its first line, serves until SIGINT or
 * SIGTERM.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char body[] =
	"{\"code\":\"ZS20230000001\",\"name\":\"示例新能源电池项目\",\"region\":\"襄城区\","
	"\"amount_yi\":\"12.50\",\"signed_on\":\"2023-02-09\",\"stage\":\"started\","
	"\"chain\":\"新能源电池及储能\",\"major\":true,\"next\":null}";

static struct MHD_Response *reply;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	static int first_call_marker;
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = &first_call_marker;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, reply);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	unsigned port = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
	unsigned per_ip = argc > 2 ? (unsigned)atoi(argv[2]) : 256;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	reply = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
						MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(reply, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)port,
		NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "minimal: cannot listen\n");
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("http://127.0.0.1:%u/\n", info ? info->port : port);
	fflush(stdout);
	struct sigaction act;
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	MHD_destroy_response(reply);
	return 0;
}
