/*
 * wget.c: fetch one file over HTTP/1.1 (docs/network.md, "wget").
 *
 *     wget [-O file] [-T seconds] http://A.B.C.D[:port]/path
 *
 * One GET with "Connection: close"; the body goes to file (created or
 * truncated), or to the console. It ends at Content-Length bytes, or at
 * the server's close when there is none. With -O, the file is read back
 * afterwards and its size and CRC-32 printed, so that a test can check
 * the bytes. Errors say what went wrong and exit 1: a bad URL, a refused
 * connection, a read waiting longer than -T seconds (10), a status other
 * than 200, a body cut short.
 */
#include <ctype.h>
#include <stdbool.h>
#include <socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD_MAX	8192	/* the status line and headers */
#define CHUNK		4096

struct url {
	unsigned int addr;	/* network order */
	unsigned short port;
	const char *path;
	char host[24];		/* "A.B.C.D:port" for Host: */
};

static unsigned int crc;	/* CRC-32 of the bytes read back */

/* The errors a fetch meets, in words. */
static const char *why(int err)
{
	switch (err) {
	case -ECONNREFUSED: return "connection refused";
	case -ETIMEDOUT: return "timed out";
	case -ECONNRESET: return "connection reset";
	case -ECONNABORTED: return "no answer";
	case -ENETUNREACH: return "network unreachable";
	case -ENETDOWN: return "no network card";
	case -E2BIG: return "headers too long";
	case -ENOENT: return "no such file or directory";
	default: return "error";
	}
}

static int fail(const char *what, int err)
{
	if (err)
		printf("wget: %s: %s (%d)\n", what, why(err), err);
	else
		printf("wget: %s\n", what);
	return 1;
}

/* Do a and b agree, ignoring case, in their first n bytes? */
static bool same_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]) || !a[i])
			return false;
	return true;
}

/* A decimal number of at most max at *p, moving *p past it; -1 if none. */
static long number(const char **p, long max)
{
	long n = 0;
	if (!isdigit((unsigned char)**p))
		return -1;
	while (isdigit((unsigned char)**p)) {
		n = n * 10 + (*(*p)++ - '0');
		if (n > max)
			return -1;
	}
	return n;
}

static int parse_url(const char *s, struct url *u)
{
	if (strncmp(s, "http://", 7) != 0)
		return -1;
	s += 7;
	unsigned int a = 0;
	for (int i = 0; i < 4; i++) {
		long b = number(&s, 255);
		if (b < 0 || (i < 3 && *s++ != '.'))
			return -1;
		a |= (unsigned int)b << (8 * i);
	}
	long port = 80;
	if (*s == ':') {
		s++;
		if ((port = number(&s, 65535)) <= 0)
			return -1;
	}
	if (*s != '/' && *s != '\0')
		return -1;
	u->addr = a;
	u->port = htons(port);
	u->path = *s ? s : "/";
	snprintf(u->host, sizeof u->host, "%u.%u.%u.%u:%ld", a & 0xFF, a >> 8 & 0xFF,
		 a >> 16 & 0xFF, a >> 24, port);
	return 0;
}

static int write_all(int fd, const char *buf, int len)
{
	for (int off = 0; off < len;) {
		int n = write(fd, buf + off, len - off);
		if (n <= 0)
			return n < 0 ? n : -EIO;
		off += n;
	}
	return 0;
}

/* The value of header name in head (NUL-terminated, lines ending in
 * \r\n), or NULL. */
static const char *header(const char *head, const char *name)
{
	size_t len = strlen(name);
	for (const char *l = strstr(head, "\r\n"); l; l = strstr(l, "\r\n")) {
		l += 2;
		if (same_ci(l, name, len) && l[len] == ':') {
			l += len + 1;
			while (*l == ' ')
				l++;
			return l;
		}
	}
	return NULL;
}

/* Read until the blank line that ends the headers: how many bytes of
 * the body came with them (at head + *hlen), or an error. */
static int read_head(int s, char *head, int *hlen)
{
	int got = 0;
	for (;;) {
		if (got == HEAD_MAX - 1)
			return -E2BIG;
		int n = read(s, head + got, HEAD_MAX - 1 - got);
		if (n <= 0)
			return n < 0 ? n : -ECONNRESET;
		got += n;
		head[got] = '\0';
		char *end = strstr(head, "\r\n\r\n");
		if (end) {
			*end = '\0';
			*hlen = end + 4 - head;
			return got - *hlen;
		}
	}
}

static void crc_add(const unsigned char *p, int n)
{
	for (int i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xEDB88320 & -(crc & 1));
	}
}

/* The file read back: its size and CRC-32. */
static int check_file(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY, 0);
	if (fd < 0)
		return fail("cannot read the file back", fd);
	int total = 0, n;
	crc = 0xFFFFFFFF;
	while ((n = read(fd, buf, CHUNK)) > 0) {
		crc_add((unsigned char *)buf, n);
		total += n;
	}
	close(fd);
	if (n < 0)
		return fail("reading the file back", n);
	printf("wget: saved %d bytes to %s, crc32 %08x\n", total, path, crc ^ 0xFFFFFFFF);
	return 0;
}

/* Copy the body: what came with the headers, then the rest; len -1
 * means up to the server's close. */
static int body(int s, int out, char *first, int nfirst, long len, char *buf)
{
	long got = 0;
	int n = nfirst;
	char *p = first;
	for (;;) {
		if (len >= 0 && got + n > len)
			n = len - got;	/* a server that sends more lies */
		int err = write_all(out, p, n);
		if (err < 0)
			return fail("write", err);
		got += n;
		if (got == len)
			return 0;
		n = read(s, buf, CHUNK);
		p = buf;
		if (n < 0)
			return fail("read", n);
		if (n == 0)
			break;
	}
	if (len >= 0) {
		printf("wget: the server closed after %ld of %ld bytes\n", got, len);
		return 1;
	}
	return 0;
}

static int usage(void)
{
	printf("usage: wget [-O file] [-T seconds] http://A.B.C.D[:port]/path\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *link = NULL;
	unsigned int secs = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-O") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "-T") == 0 && i + 1 < argc)
			secs = strtoul(argv[++i], NULL, 10);
		else if (!link && argv[i][0] != '-')
			link = argv[i];
		else
			return usage();
	}
	struct url u;
	if (!link)
		return usage();
	if (parse_url(link, &u) < 0 || secs == 0 || secs > 3600) {
		printf("wget: bad URL (or -T): %s\n", link);
		return 2;
	}
	static char head[HEAD_MAX], buf[CHUNK];
	struct sockaddr_in a = { AF_INET, u.port, u.addr };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return fail("socket", s);
	unsigned int ms = secs * 1000;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms);
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &ms, sizeof ms);
	int err = connect(s, &a);
	if (err < 0)
		return fail("connect", err);
	int n = snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: fable-wget\r\n"
			 "Connection: close\r\n\r\n", u.path, u.host);
	if (n >= (int)sizeof head)
		return fail("the path is too long", 0);
	if ((err = write_all(s, head, n)) < 0)
		return fail("send", err);
	int hlen = 0, nfirst = read_head(s, head, &hlen);
	if (nfirst < 0)
		return fail("reading the headers", nfirst);
	const char *st = head + 9;	/* "HTTP/1.x NNN" */
	long status = strncmp(head, "HTTP/1.", 7) == 0 && head[8] == ' ' ? number(&st, 999) : -1;
	if (status < 0) {
		printf("wget: not an HTTP answer: %.40s\n", head);
		return 1;
	}
	if (status != 200) {
		char *eol = strstr(head, "\r\n");
		if (eol)
			*eol = '\0';
		printf("wget: the server answered %s\n", head);
		return 1;
	}
	const char *te = header(head, "Transfer-Encoding");
	if (te && !same_ci(te, "identity", 8))
		return fail("chunked or encoded bodies are not supported", 0);
	const char *cl = header(head, "Content-Length");
	long len = -1;
	if (cl && (len = number(&cl, 0x7FFFFFFF)) < 0)
		return fail("bad Content-Length", 0);
	int out = 1;
	if (file && (out = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return fail(file, out);
	int bad = body(s, out, head + hlen, nfirst, len, buf);
	close(s);
	if (!file)
		return bad;
	close(out);
	return bad ? bad : check_file(file, buf);
}
