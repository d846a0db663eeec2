/*
 * http-mhd.h: libmicrohttpd, opened when the server starts (dynlib.h).
 * Included after <microhttpd.h> in http.c and http-accept.c, it turns
 * each libmicrohttpd function they call into its pointer in mhd_lib, so
 * the calls read as usual; a function newly called goes in MHD_FUNCS and
 * gets its #define below (the build fails at link time otherwise).
 */
#ifndef THIDUA_HTTP_MHD_H
#define THIDUA_HTTP_MHD_H

#include <sys/socket.h>
#include <microhttpd.h>

#include "err.h"

#define MHD_FUNCS(X) \
	X(MHD_add_connection) X(MHD_add_response_header) \
	X(MHD_create_response_from_buffer) X(MHD_create_response_from_fd) \
	X(MHD_destroy_response) X(MHD_get_connection_info) \
	X(MHD_get_connection_values) X(MHD_lookup_connection_value) \
	X(MHD_queue_response) X(MHD_resume_connection) X(MHD_start_daemon) \
	X(MHD_stop_daemon) X(MHD_suspend_connection)

struct mhd_lib {
#define MHD_SLOT(f) __typeof__(f) *f;
	MHD_FUNCS(MHD_SLOT)
#undef MHD_SLOT
};

extern struct mhd_lib mhd_lib;

/* libmicrohttpd opened and mhd_lib filled (once); 0, or -1 and e. */
int	 mhd_lib_load(struct err *e);

#ifndef HTTP_MHD_TABLE	/* (http-mhd.c fills the table by name) */
#define MHD_add_connection(...)		(mhd_lib.MHD_add_connection)(__VA_ARGS__)
#define MHD_add_response_header(...)		(mhd_lib.MHD_add_response_header)(__VA_ARGS__)
#define MHD_create_response_from_buffer(...)	(mhd_lib.MHD_create_response_from_buffer)(__VA_ARGS__)
#define MHD_create_response_from_fd(...)	(mhd_lib.MHD_create_response_from_fd)(__VA_ARGS__)
#define MHD_destroy_response(...)		(mhd_lib.MHD_destroy_response)(__VA_ARGS__)
#define MHD_get_connection_info(...)		(mhd_lib.MHD_get_connection_info)(__VA_ARGS__)
#define MHD_get_connection_values(...)	(mhd_lib.MHD_get_connection_values)(__VA_ARGS__)
#define MHD_lookup_connection_value(...)	(mhd_lib.MHD_lookup_connection_value)(__VA_ARGS__)
#define MHD_queue_response(...)		(mhd_lib.MHD_queue_response)(__VA_ARGS__)
#define MHD_resume_connection(...)		(mhd_lib.MHD_resume_connection)(__VA_ARGS__)
#define MHD_start_daemon(...)		(mhd_lib.MHD_start_daemon)(__VA_ARGS__)
#define MHD_stop_daemon(...)			(mhd_lib.MHD_stop_daemon)(__VA_ARGS__)
#define MHD_suspend_connection(...)		(mhd_lib.MHD_suspend_connection)(__VA_ARGS__)
#endif

#endif /* THIDUA_HTTP_MHD_H */
