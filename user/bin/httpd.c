/*
 * httpd.c: a static web server (docs/network.md, "The web server").
 *
 *   httpd [-p port] [-c max] [-n conns] [root]
 *
 * Serves the files under root (default /doc, the book on the disk, if it
 * is a directory, else /) over HTTP/1.1 on port (80) with GET and HEAD;
 * other methods get 405. Connections stay open between requests unless
 * the client asks otherwise (HTTP/1.0 closes unless it asks for
 * keep-alive). A directory without index.html gets an HTML listing;
 * /stats (and /stats.json) shows the kernel's counters from kstat.
 *
 * Each connection gets a thread, at most max (8) at once: while all are
 * busy the accept loop waits, and further connections wait in the
 * kernel's backlog. A connection closes after MAX_REQUESTS (100)
 * answers, so that kept connections cannot hold every thread. Every wait
 * on a client is bounded: the whole request head must come within
 * HEAD_MS (a client that trickles bytes is dropped as surely as a silent
 * one) and each write may wait SEND_MS. Finished threads are joined by
 * the accept loop. With -n the server stops after that many
 * connections, once each is done, and exits 0 (for leakcheck).
 *
 * One line per request goes to the console: peer, method, path, status,
 * body bytes sent.
 */
#include <fable.h>
#include <cond.h>
#include <mutex.h>
#include <socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <unistd.h>

#define STACK		16384
#define MAX_DEFAULT	8	/* the stack has 8 TCP connections (lwipopts.h) */
#define MAX_LIMIT	12	/* two descriptors each (socket, file) of FS_FD_MAX */
#define HEAD_MAX	8192	/* request line and headers */
#define URI_MAX		2048	/* request target */
#define BODY_MAX	8192	/* a GET's body, read and dropped */
#define HEAD_MS		5000	/* to receive a whole request head */
#define SEND_MS		10000	/* one write's wait for the client to read */
#define RESPONSE_MS	60000	/* a whole response */
#define CHUNK		4096	/* file bytes per read and write */
#define LINGER_MS	1000	/* reading what a client still sends, at the end */
#define DRAIN_MS	40	/* ... while it keeps coming at least this often */
#define MS_PER_TICK	10
#define BIND_TRIES	130	/* seconds: lwIP's TIME-WAIT is 2 * TCP_MSL, 120 s */
#define METHOD_MAX	16
#define MAX_REQUESTS	100	/* on one connection: then others get their turn */

/* One connection: its socket, its peer, and the bytes read but not yet
 * consumed (a client may send the next request before the answer). */
struct conn {
	int fd;
	struct sockaddr_in peer;
	unsigned int deadline;		/* ticks: end of the current wait */
	int len;			/* bytes in buf */
	int requests;			/* answered so far */
	char buf[HEAD_MAX + 1];
};

/* One request, as parsed, and what its answer was. */
struct req {
	char method[METHOD_MAX];	/* "" until the request line is read */
	char target[URI_MAX + 1];
	int minor;			/* HTTP/1.minor */
	int keep;			/* keep the connection after the answer */
	int conn_close, conn_keep;	/* what Connection: asked for */
	int head_only;			/* HEAD: headers, no body */
	int hosts;			/* Host headers seen */
	long body;			/* Content-Length, -1 if none */
	int chunked;			/* a Transfer-Encoding was given */
	int status;
	unsigned int sent;		/* body bytes written */
	char path[URI_MAX + 2];		/* normalised: '/', segments, maybe '/' */
};

/* A growing buffer for the pages made here (listings, /stats). */
struct text {
	char *p;
	int len, cap;
	int failed;			/* out of memory: the text is incomplete */
};

static const char *root;		/* [c] no trailing '/', "" for / */
static int max_conns = MAX_DEFAULT;	/* [c] */

/* Lock tags (docs/sync.md): [c] constant once serving, [l] lock. */
static mutex_t lock;
static cond_t changed;			/* active fell, or a thread finished */
static int active;			/* [l] connection threads running */
static int finished[MAX_LIMIT];		/* [l] their tids, not yet joined */
static int nfinished;			/* [l] */
static unsigned int nconns, nrequests;	/* [l] since start */
static unsigned long long last_tsc, last_idle;	/* [l] the last /stats sample */

/* ---- small helpers ---------------------------------------------------- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/* a equals b ignoring ASCII case. */
static int same_word(const char *a, const char *b)
{
	while (*a && lower(*a) == lower(*b))
		a++, b++;
	return *a == *b;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A character of an HTTP token (methods, header names). */
static int tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Whether ch is among the first n bytes of buf. */
static int has_byte(const char *buf, int n, char ch)
{
	for (int i = 0; i < n; i++)
		if (buf[i] == ch)
			return 1;
	return 0;
}

static unsigned int ms_left(const struct conn *c)
{
	int t = (int)(c->deadline - get_ticks());
	return t > 0 ? (unsigned int)t * MS_PER_TICK : 0;
}

static void text_add(struct text *t, const char *s, int n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		int cap = (t->len + n + 1) * 2;
		char *p = realloc(t->p, cap);
		if (!p) {
			t->failed = 1;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = 0;
}

static void text_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static void __attribute__((__format__(__printf__, 2, 3))) text_fmt(struct text *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	text_add(t, line, n < (int)sizeof line ? n : (int)sizeof line - 1);
}

/* s with &, <, >, " and ' as HTML entities. */
static void text_html(struct text *t, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
				*s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
		if (e)
			text_str(t, e);
		else
			text_add(t, s, 1);
	}
}

/* s percent-encoded for a URL path: every byte but unreserved ones and '/'. */
static void text_url(struct text *t, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c))
			text_add(t, s, 1);
		else
			text_fmt(t, "%%%02X", c);
	}
}

/* ---- sending ---------------------------------------------------------- */

/* Write all of buf before the connection's deadline; 0, or -1 if the
 * connection failed or the client read too slowly. */
static int send_all(struct conn *c, const char *buf, int len)
{
	while (len > 0) {
		if (!ms_left(c))
			return -1;
		int n = write(c->fd, buf, len);
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	default: return "HTTP Version Not Supported";
	}
}

/* The status line and headers; extra is more header lines, each ending
 * in CRLF. */
static int send_head(struct conn *c, struct req *r, const char *type, unsigned int len,
		     const char *extra)
{
	char head[512];
	const char *conn = !r->keep ? "Connection: close\r\n" :
			   r->minor == 0 ? "Connection: keep-alive\r\n" : "";
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d %s\r\nServer: fable-httpd\r\n%s%s%sContent-Length: %u\r\n%s%s\r\n",
			 r->status, reason(r->status), type ? "Content-Type: " : "", type ? type : "",
			 type ? "\r\n" : "", len, conn, extra);
	if (n >= (int)sizeof head)
		return -1;
	return send_all(c, head, n);
}

/* A whole answer whose body is in memory. */
static int send_page(struct conn *c, struct req *r, const char *type, const char *body,
		     int len, const char *extra)
{
	if (send_head(c, r, type, len, extra) < 0)
		return -1;
	if (r->head_only)
		return 0;
	r->sent = len;
	return send_all(c, body, len);
}

static int send_error(struct conn *c, struct req *r, int status)
{
	char body[160];
	r->status = status;
	if (status >= 400 && status != 403 && status != 404 && status != 405)
		r->keep = 0;	/* what follows on the connection cannot be trusted */
	int n = snprintf(body, sizeof body, "<!DOCTYPE html>\n<title>%d %s</title>\n<h1>%d %s</h1>\n",
			 status, reason(status), status, reason(status));
	return send_page(c, r, "text/html; charset=utf-8", body, n,
			 status == 405 ? "Allow: GET, HEAD\r\n" : "");
}

/* ---- reading a request ------------------------------------------------ */

/* The length of the request head at the start of buf (through its empty
 * line), or 0 if it has not all come. from: where to start looking. */
static int head_length(const char *buf, int len, int from)
{
	for (int i = from > 0 ? from - 1 : 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Consume the first n bytes of the connection's buffer. */
static void consume(struct conn *c, int n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* Read until a whole head has come: its length; 0 when the client went
 * away or stayed silent; or minus the status to answer (400 for a head
 * cut short, 408, 413, 414). */
static int read_head(struct conn *c)
{
	int checked = 0;
	for (;;) {
		/* Empty lines before a request are allowed (HTTP/1.1 says so). */
		int blank = 0;
		while (blank < c->len && (c->buf[blank] == '\r' || c->buf[blank] == '\n'))
			blank++;
		consume(c, blank);
		int n = head_length(c->buf, c->len, checked > 3 ? checked - 3 : 0);
		if (n)
			return n;
		checked = c->len;
		if (!has_byte(c->buf, c->len, '\n') && c->len > URI_MAX + METHOD_MAX + 16)
			return -414;
		if (c->len >= HEAD_MAX)
			return -413;
		unsigned int ms = ms_left(c);
		if (!ms)
			return c->len ? -408 : 0;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms);
		int got = read(c->fd, c->buf + c->len, HEAD_MAX - c->len);
		if (got == -ETIMEDOUT)
			continue;
		if (got <= 0)
			return got == 0 && c->len ? -400 : 0;
		c->len += got;
	}
}

/* Read and drop a body of r->body bytes (the head consumed already). */
static int drop_body(struct conn *c, struct req *r)
{
	long left = r->body;
	while (left > 0) {
		if (c->len) {
			int n = c->len < left ? c->len : (int)left;
			consume(c, n);
			left -= n;
			continue;
		}
		unsigned int ms = ms_left(c);
		if (!ms)
			return -1;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms);
		int got = read(c->fd, c->buf, HEAD_MAX);
		if (got == -ETIMEDOUT)
			continue;
		if (got <= 0)
			return -1;
		c->len = got;
	}
	return 0;
}

/* The request line "METHOD SP target SP HTTP/1.x": 0 or a status. */
static int parse_request_line(char *line, struct req *r)
{
	int n = 0;
	while (tchar(line[n]))
		n++;
	if (n == 0 || line[n] != ' ')
		return 400;
	if (n >= METHOD_MAX)
		return 405;	/* a well-formed method, and not one of ours */
	memcpy(r->method, line, n);
	r->method[n] = 0;
	char *target = line + n + 1, *sp = strchr(target, ' ');
	if (!sp || sp == target)
		return 400;
	if (sp - target > URI_MAX)
		return 414;
	memcpy(r->target, target, sp - target);
	r->target[sp - target] = 0;
	for (char *p = r->target; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 400;
	char *v = sp + 1;
	if (strncmp(v, "HTTP/", 5) || hexval(v[5]) < 0 || hexval(v[5]) > 9 || v[6] != '.' ||
	    hexval(v[7]) < 0 || hexval(v[7]) > 9 || v[8])
		return 400;
	if (v[5] != '1')
		return 505;
	r->minor = v[7] - '0';
	return 0;
}

/* "Connection: a, b": close and keep-alive, in any case. */
static void parse_connection(char *value, struct req *r)
{
	while (*value) {
		int n = strcspn(value, ", \t");
		char sep = value[n];
		value[n] = 0;
		r->conn_close |= same_word(value, "close");
		r->conn_keep |= same_word(value, "keep-alive");
		value += n + (sep != 0);
	}
}

/* One header line "name: value": 0 or a status. */
static int parse_header(char *line, struct req *r)
{
	int n = 0;
	while (tchar(line[n]))
		n++;
	if (n == 0 || line[n] != ':')
		return 400;	/* also a folded line, which starts with a blank */
	line[n] = 0;
	char *value = line + n + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	int end = strlen(value);
	while (end && (value[end - 1] == ' ' || value[end - 1] == '\t'))
		value[--end] = 0;
	for (char *p = value; *p; p++)
		if (((unsigned char)*p < ' ' && *p != '\t') || *p == 0x7f)
			return 400;
	if (same_word(line, "host")) {
		r->hosts++;
	} else if (same_word(line, "connection")) {
		parse_connection(value, r);
	} else if (same_word(line, "content-length")) {
		int digits = strspn(value, "0123456789");
		if (!digits || value[digits])
			return 400;
		if (digits > 9)
			return 413;
		long len = atol(value);
		if (r->body >= 0 && r->body != len)
			return 400;
		r->body = len;
	} else if (same_word(line, "transfer-encoding")) {
		r->chunked = 1;
	}
	return 0;
}

/* The head of n bytes at the start of the buffer (NUL-free, checked
 * here) into r: 0 or a status. The buffer's lines become strings. */
static int parse_head(struct conn *c, int n, struct req *r)
{
	if (has_byte(c->buf, n, 0))
		return 400;
	c->buf[n - 1] = 0;	/* the head's last '\n' */
	for (char *line = c->buf, *nl;; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		int len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = 0;
		if (!*line)
			break;	/* the empty line; read_head skipped those before */
		int status = line == c->buf ? parse_request_line(line, r) : parse_header(line, r);
		if (status)
			return status;
		if (!nl)
			break;
	}
	r->keep = !r->conn_close && (r->minor >= 1 || r->conn_keep);
	if (r->hosts > 1 || (r->minor >= 1 && r->hosts == 0))
		return 400;
	if (r->chunked)
		return 501;
	if (r->body > BODY_MAX)
		return 413;
	return 0;
}

/* The target's path percent-decoded into out (at most URI_MAX bytes):
 * 0, or 400 for a bad escape or a NUL. The query and fragment are left
 * out; an absolute target (http://host/path) counts by its path. */
static int decode_target(const char *t, char *out)
{
	if (!strncmp(t, "http://", 7)) {
		t = strchr(t + 7, '/');
		if (!t)
			t = "/";
	}
	if (*t != '/')
		return 400;
	for (; *t && *t != '?' && *t != '#'; t++) {
		int ch = *t;
		if (ch == '%') {
			int hi = hexval(t[1]), lo = hi < 0 ? -1 : hexval(t[2]);
			if (lo < 0 || (hi | lo) == 0)
				return 400;
			ch = hi << 4 | lo;
			t += 2;
		}
		*out++ = ch;
	}
	*out = 0;
	return 0;
}

/* r->target decoded and normalised into r->path: '/', then each segment
 * followed by '/', the last '/' only when the target ended in '/', "."
 * or "..". Empty and "." segments go, ".." takes the one before it
 * away. 0, or 400 when decode_target refuses or a ".." would climb
 * above the root. */
static int clean_path(struct req *r)
{
	char raw[URI_MAX + 1], *out = r->path;
	int status = decode_target(r->target, raw);
	if (status)
		return status;
	int len = 1, dir = 1;
	out[0] = '/';
	for (char *seg = raw + 1, *end; seg; seg = *end ? end + 1 : NULL) {
		end = seg + strcspn(seg, "/");
		int n = end - seg;
		dir = n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2));
		if (n == 2 && dir) {
			if (len == 1)
				return 400;
			for (len--; out[len - 1] != '/'; len--)
				;
		} else if (!dir) {
			memcpy(out + len, seg, n);
			len += n;
			out[len++] = '/';
		}
	}
	if (!dir && len > 1)
		len--;
	out[len] = 0;
	return 0;
}

/* ---- answers ------------------------------------------------------------ */

static const char *content_type(const char *path)
{
	static const char *const types[][2] = {
		{ "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" }, { "js", "text/javascript; charset=utf-8" },
		{ "txt", "text/plain; charset=utf-8" }, { "md", "text/markdown; charset=utf-8" },
		{ "json", "application/json" }, { "png", "image/png" },
		{ "svg", "image/svg+xml" },
	};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (dot && dot > slash)
		for (unsigned int i = 0; i < sizeof types / sizeof types[0]; i++)
			if (same_word(dot + 1, types[i][0]))
				return types[i][1];
	return "application/octet-stream";
}

static int send_file(struct conn *c, struct req *r, const char *fspath)
{
	fable_stat_t st;
	int fd = open(fspath, O_RDONLY, 0);
	if (fd < 0)
		return send_error(c, r, 404);
	if (fstat(fd, &st) < 0 || st.type != FT_FILE) {
		close(fd);
		return send_error(c, r, 403);
	}
	char *buf = malloc(CHUNK);
	if (!buf) {
		close(fd);
		return send_error(c, r, 500);
	}
	r->status = 200;
	int err = send_head(c, r, content_type(fspath), st.size, "");
	while (!err && !r->head_only && r->sent < st.size) {
		int n = read(fd, buf, CHUNK);
		/* A file that shrank meanwhile: the length promised cannot be
		 * kept, so the connection ends. */
		err = n <= 0 ? -1 : send_all(c, buf, n);
		if (n > 0)
			r->sent += n;
	}
	free(buf);
	close(fd);
	return err;
}

static int by_name(char *a, char *b)
{
	return strcmp(*(char **)a, *(char **)b);
}

/* Add the name of entry e (with a '/' for a directory) to the n names
 * of *names, which has room for *cap: 0, or -1 out of memory. */
static int add_name(char ***names, int n, int *cap, const fable_dirent_t *e)
{
	if (n == *cap) {
		char **more = realloc(*names, (*cap * 2 + 16) * sizeof *more);
		if (!more)
			return -1;
		*names = more;
		*cap = *cap * 2 + 16;
	}
	char *name = malloc(strlen(e->name) + 2);
	if (!name)
		return -1;
	strcpy(name, e->name);
	if (e->type == FT_DIR)
		strcat(name, "/");
	(*names)[n] = name;
	return 0;
}

/* The names in directory fspath, sorted, in *names (each and the array
 * to be freed): their count, or -1 (nothing to free). */
static int dir_names(const char *fspath, char ***names)
{
	fable_dirent_t *e = malloc(sizeof *e);
	int fd = open(fspath, O_RDONLY | O_DIRECTORY, 0), n = 0, cap = 0, err = !e || fd < 0;
	*names = NULL;
	while (!err && readdir(fd, e) > 0) {
		if (strcmp(e->name, ".") && strcmp(e->name, ".."))
			err = add_name(names, n++, &cap, e) < 0;
	}
	free(e);
	if (fd >= 0)
		close(fd);
	if (err) {
		while (--n > 0)
			free((*names)[n - 1]);
		free(*names);
		return -1;
	}
	qsort(*names, n, sizeof **names, by_name);
	return n;
}

static int send_listing(struct conn *c, struct req *r, const char *fspath)
{
	char **names;
	int n = dir_names(fspath, &names);
	struct text t = { 0 };
	text_str(&t, "<!DOCTYPE html>\n<meta charset=\"utf-8\">\n<title>Index of ");
	text_html(&t, r->path);
	text_str(&t, "</title>\n<h1>Index of ");
	text_html(&t, r->path);
	text_str(&t, "</h1>\n<ul>\n");
	if (strcmp(r->path, "/"))
		text_str(&t, "<li><a href=\"../\">../</a>\n");
	for (int i = 0; i < n; i++) {
		text_str(&t, "<li><a href=\"");
		text_url(&t, names[i]);
		text_str(&t, "\">");
		text_html(&t, names[i]);
		text_str(&t, "</a>\n");
		free(names[i]);
	}
	free(names);
	text_str(&t, "</ul>\n");
	int err;
	if (n < 0 || t.failed) {
		err = send_error(c, r, 500);
	} else {
		r->status = 200;
		err = send_page(c, r, "text/html; charset=utf-8", t.p, t.len, "");
	}
	free(t.p);
	return err;
}

static unsigned long long rdtsc(void)
{
	unsigned long long v;
	__asm__ volatile("rdtsc" : "=A"(v));
	return v;
}

/* The idle thread's share of the CPU, in tenths of a percent, since the
 * previous call (since boot at the first); now is rdtsc's. */
static unsigned int idle_share(const kstat_t *k, unsigned long long now)
{
	unsigned long long idle = k->idle_tsc_lo | (unsigned long long)k->idle_tsc_hi << 32;
	mutex_lock(&lock);
	unsigned long long dt = now - last_tsc, di = idle - last_idle;
	last_tsc = now;
	last_idle = idle;
	mutex_unlock(&lock);
	if (di > dt)
		di = dt;	/* the two clocks are read at different moments */
	return dt ? (unsigned int)(di * 1000 / dt) : 0;
}

/* /stats and /stats.json: kstat's counters and the server's own. */
static int send_stats(struct conn *c, struct req *r, int json)
{
	kstat_t k = { .size = sizeof k };
	if (kstat(&k) < 0)
		return send_error(c, r, 500);
	unsigned long long now = rdtsc();
	unsigned int idle = idle_share(&k, now);
	mutex_lock(&lock);
	unsigned int conns = nconns, requests = nrequests, running = active;
	mutex_unlock(&lock);
	const struct { const char *name; unsigned int value; } v[] = {
		{ "tasks", k.tasks }, { "threads", k.threads },
		{ "free_frames", k.free_frames }, { "total_frames", k.total_frames },
		{ "kernel_heap_bytes", k.kernel_heap_bytes_in_use },
		{ "open_files", k.open_files }, { "pipes", k.pipes }, { "fs_pages", k.fs_pages },
		{ "idle_permille", idle }, { "ticks", k.ticks },
		{ "context_switches", k.context_switches }, { "syscalls", k.syscalls },
		{ "page_faults", k.page_faults },
		{ "bcache_hits", k.bcache_hits }, { "bcache_misses", k.bcache_misses },
		{ "net_rx_packets", k.net_rx_packets }, { "net_rx_bytes", k.net_rx_bytes },
		{ "net_tx_packets", k.net_tx_packets }, { "net_tx_bytes", k.net_tx_bytes },
		{ "net_drops", k.net_drops }, { "net_errors", k.net_errors },
		{ "httpd_connections", conns }, { "httpd_requests", requests },
		{ "httpd_active", running },
		/* for tools/httpbench.py: under -icount, instructions */
		{ "tsc_lo", (unsigned int)now }, { "tsc_hi", (unsigned int)(now >> 32) },
		{ "idle_tsc_lo", k.idle_tsc_lo }, { "idle_tsc_hi", k.idle_tsc_hi },
	};
	int nv = sizeof v / sizeof v[0];
	struct text t = { 0 };
	if (json) {
		text_str(&t, "{");
		for (int i = 0; i < nv; i++)
			text_fmt(&t, "%s\"%s\": %u", i ? ", " : "", v[i].name, v[i].value);
		text_str(&t, "}\n");
	} else {
		text_str(&t, "<!DOCTYPE html>\n<meta charset=\"utf-8\">\n"
			     "<meta http-equiv=\"refresh\" content=\"2\">\n<title>Fable: stats</title>\n"
			     "<h1>Fable</h1>\n");
		text_fmt(&t, "<p>Up %u.%02u s; the CPU idle %u.%u%% since the last look; "
			 "%u of %u frames free (%u KiB of %u KiB).</p>\n<table>\n",
			 k.ticks / 100, k.ticks % 100, idle / 10, idle % 10, k.free_frames,
			 k.total_frames, k.free_frames * (PAGE_SIZE / 1024),
			 k.total_frames * (PAGE_SIZE / 1024));
		for (int i = 0; i < nv; i++)
			text_fmt(&t, "<tr><td>%s</td><td align=\"right\">%u</td></tr>\n",
				 v[i].name, v[i].value);
		text_str(&t, "</table>\n");
	}
	int err = t.failed ? send_error(c, r, 500) :
		  (r->status = 200, send_page(c, r, json ? "application/json" :
					      "text/html; charset=utf-8", t.p, t.len, ""));
	free(t.p);
	return err;
}

/* 301 to the directory's own URL, with its '/'. */
static int send_redirect(struct conn *c, struct req *r)
{
	struct text t = { 0 };
	text_str(&t, "Location: ");
	text_url(&t, r->path);
	text_str(&t, "/\r\n");
	int err = t.failed || t.len > 400 ? send_error(c, r, 414) :
		  (r->status = 301, send_page(c, r, NULL, "", 0, t.p));
	free(t.p);
	return err;
}

/* The file system's path for r->path, each directory on the way checked:
 * 0 and its type in *type, or the status (404; 403 for a symbolic link,
 * which could lead out of the root). */
static int resolve(struct req *r, char *fspath, unsigned int *type)
{
	int n = snprintf(fspath, FS_PATH_MAX, "%s%s", root, r->path);
	if (n >= FS_PATH_MAX)
		return 404;
	fable_stat_t st = { .type = FT_DIR };
	for (int i = strlen(root) + 1; i <= n; i++) {
		if (fspath[i] != '/' && fspath[i] != 0)
			continue;
		char saved = fspath[i];
		fspath[i] = 0;
		int err = lstat(fspath, &st);
		fspath[i] = saved;
		if (err < 0)
			return 404;
		if (st.type == FT_SYMLINK)
			return 403;
		if (st.type != FT_DIR && i < n)
			return 404;
	}
	*type = st.type;
	return 0;
}

static int answer(struct conn *c, struct req *r)
{
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return send_error(c, r, 405);	/* its body was read already */
	r->head_only = !strcmp(r->method, "HEAD");
	int status = clean_path(r);
	if (status)
		return send_error(c, r, status);
	if (!strcmp(r->path, "/stats") || !strcmp(r->path, "/stats.json"))
		return send_stats(c, r, r->path[6] == '.');
	char fspath[FS_PATH_MAX + 16];
	unsigned int type;
	status = resolve(r, fspath, &type);
	if (status)
		return send_error(c, r, status);
	if (type == FT_FILE)
		return send_file(c, r, fspath);
	if (type != FT_DIR)
		return send_error(c, r, 403);
	if (r->path[strlen(r->path) - 1] != '/')
		return send_redirect(c, r);
	fable_stat_t st;
	strcat(fspath, "index.html");
	if (lstat(fspath, &st) == 0 && st.type == FT_FILE)
		return send_file(c, r, fspath);
	fspath[strlen(fspath) - strlen("index.html")] = 0;
	return send_listing(c, r, fspath);
}

/* The access log: one line, printed whole. */
static void log_request(struct conn *c, struct req *r)
{
	char line[160], what[72];
	const char *p = r->target[0] ? r->target : "-";
	int n = 0;
	for (; *p && n < (int)sizeof what - 8; p++)
		n += (*p > ' ' && *p < 0x7f) ? (what[n] = *p, 1) :
		     snprintf(what + n, sizeof what - n, "\\x%02x", (unsigned char)*p);
	strcpy(what + n, *p ? "..." : "");
	unsigned int a = c->peer.sin_addr;
	n = snprintf(line, sizeof line, "httpd: %u.%u.%u.%u:%u %s %s %d %u\n", a & 0xff,
		     a >> 8 & 0xff, a >> 16 & 0xff, a >> 24, ntohs(c->peer.sin_port),
		     r->method[0] ? r->method : "-", what, r->status, r->sent);
	print(n < (int)sizeof line ? n : (int)sizeof line - 1, line);
}

/* One request on c: 1 to go on with the connection, 0 to close it. */
static int one_request(struct conn *c)
{
	struct req r = { .body = -1 };
	c->deadline = get_ticks() + HEAD_MS / MS_PER_TICK;
	int n = read_head(c);
	if (n == 0)
		return 0;
	int status = n < 0 ? -n : parse_head(c, n, &r);
	if (n > 0)
		consume(c, n);
	if (!status && r.body > 0 && drop_body(c, &r) < 0)
		return 0;
	c->deadline = get_ticks() + RESPONSE_MS / MS_PER_TICK;
	if (++c->requests == MAX_REQUESTS)
		r.keep = 0;
	int err = status ? send_error(c, &r, status) : answer(c, &r);
	mutex_lock(&lock);
	nrequests++;
	mutex_unlock(&lock);
	log_request(c, &r);
	return !err && r.keep;
}

/* End the connection. Bytes the client sent that were never read make
 * the stack answer the close with a reset, which can overtake the
 * answer: a 413 sent while the client is still sending, say. So first
 * read what has come, while more keeps coming within DRAIN_MS, at most
 * LINGER_MS in all. (Servers usually shut their side down first and
 * read until the client's end; here that would leave the socket open on
 * a connection in TIME-WAIT, which the stack may free under it:
 * docs/network.md, "The web server".) */
static void linger(struct conn *c)
{
	unsigned int ms = DRAIN_MS;
	c->deadline = get_ticks() + LINGER_MS / MS_PER_TICK;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms);
	while (ms_left(c) && read(c->fd, c->buf, HEAD_MAX) > 0)
		;
	close(c->fd);
}

/* A connection's thread: its requests, then the end. */
static void *serve(void *arg)
{
	struct conn *c = arg;
	unsigned int ms = SEND_MS;
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &ms, sizeof ms);
	while (one_request(c))
		;
	linger(c);
	free(c);
	mutex_lock(&lock);
	finished[nfinished++] = thr_getid();
	active--;
	cond_signal(&changed);
	mutex_unlock(&lock);
	return NULL;
}

/* Join the threads that have finished, waiting until fewer than limit
 * run. */
static void reap(int limit)
{
	int tids[MAX_LIMIT], n;
	mutex_lock(&lock);
	while (active >= limit)
		cond_wait(&changed, &lock);
	n = nfinished;
	memcpy(tids, finished, n * sizeof tids[0]);
	nfinished = 0;
	mutex_unlock(&lock);
	for (int i = 0; i < n; i++)
		thr_join(tids[i], NULL);
}

/* Accept and start a thread for one connection: 1 if one came. */
static int start_one(int l)
{
	struct conn *c = malloc(sizeof *c);
	if (!c) {
		sleep(10);	/* out of memory: let connections end first */
		return 0;
	}
	c->len = 0;
	c->requests = 0;
	c->fd = accept(l, &c->peer);
	if (c->fd < 0) {
		printf("httpd: accept: %d\n", c->fd);
		free(c);
		sleep(10);
		return 0;
	}
	mutex_lock(&lock);
	active++;
	nconns++;
	mutex_unlock(&lock);
	if (thr_create(serve, c) < 0) {
		close(c->fd);
		free(c);
		mutex_lock(&lock);
		active--;
		mutex_unlock(&lock);
	}
	return 1;
}

/* A socket bound to port. A server that stopped a moment ago leaves
 * its closed connections in TIME-WAIT, still holding the port, and the
 * stack has no SO_REUSEADDR: wait until they are gone. */
static int listener(int port)
{
	struct sockaddr_in a = { AF_INET, htons((unsigned short)port), INADDR_ANY };
	int l = socket(AF_INET, SOCK_STREAM, 0), err = l;
	for (int i = 0; l >= 0 && (err = bind(l, &a)) == -EADDRINUSE && i < BIND_TRIES; i++) {
		if (i == 0)
			printf("httpd: port %d is in use; waiting for it\n", port);
		sleep(1000 / MS_PER_TICK);
	}
	if (err < 0 && l >= 0)
		close(l);
	return err < 0 ? err : l;
}

static int usage(void)
{
	printf("usage: httpd [-p port] [-c max(1-%d)] [-n conns] [root]\n", MAX_LIMIT);
	return 1;
}

int main(int argc, char **argv)
{
	int port = 80, limit = 0, i;
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		int v = atoi(argv[i + 1]);
		if (!strcmp(argv[i], "-p") && v > 0 && v <= 65535)
			port = v;
		else if (!strcmp(argv[i], "-c") && v > 0 && v <= MAX_LIMIT)
			max_conns = v;
		else if (!strcmp(argv[i], "-n") && v > 0)
			limit = v;
		else
			return usage();
	}
	fable_stat_t st;
	const char *dir = i < argc ? argv[i] : stat("/doc", &st) == 0 && st.type == FT_DIR ? "/doc" : "/";
	if (i + 1 < argc || dir[0] != '/' || stat(dir, &st) < 0 || st.type != FT_DIR)
		return usage();
	root = strcmp(dir, "/") ? dir : "";
	if (thr_init(STACK) < 0 || mutex_init(&lock) < 0 || cond_init(&changed) < 0)
		return usage();
	int l = listener(port), err = l < 0 ? l : listen(l, SOMAXCONN);
	if (err < 0) {
		printf("httpd: cannot listen on port %d: %d\n", port, err);
		return 1;
	}
	printf("httpd: serving %s on port %d, %d connections at once\n", dir, port, max_conns);
	for (int n = 0; !limit || n < limit;) {
		reap(max_conns);
		n += start_one(l);
	}
	reap(1);
	close(l);
	printf("httpd: done after %d connections\n", limit);
	return 0;
}
