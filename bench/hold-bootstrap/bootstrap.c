/*
 * A provided.al2023 bootstrap for the scale-up and density scenarios: each invocation notes when it started
 * (wall clock, ms since the epoch), holds until the "release" time in the event (ms since the epoch, so every
 * environment of a burst stays busy until the burst is in), and answers {"env":ID,"start":S,"end":E}, where ID
 * names this environment (the wall clock in ns when it started, which no two environments share in practice).
 * Plain C over the Runtime API: starts in about a millisecond and needs nothing in the sandbox.
 * Built by the benchmark: cc -O2 -o bootstrap bootstrap.c
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int connect_api(const char *api) {
  char host[256];
  snprintf(host, sizeof host, "%s", api);
  char *colon = strrchr(host, ':');
  if (!colon) return -1;
  *colon = 0;
  struct addrinfo hints = {0}, *res;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, colon + 1, &hints, &res) != 0) return -1;
  int fd = socket(res->ai_family, res->ai_socktype, 0);
  if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) { close(fd); fd = -1; }
  freeaddrinfo(res);
  return fd;
}

/* Sends a request and reads the whole answer (Connection: close) into buf; returns its length or -1. */
static int exchange(const char *api, const char *request, size_t request_length, char *buf, size_t size) {
  int fd = connect_api(api);
  if (fd < 0) return -1;
  size_t sent = 0;
  while (sent < request_length) {
    ssize_t n = write(fd, request + sent, request_length - sent);
    if (n <= 0) { close(fd); return -1; }
    sent += (size_t)n;
  }
  size_t got = 0;
  ssize_t n;
  while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0) got += (size_t)n;
  buf[got] = 0;
  close(fd);
  return (int)got;
}

int main(void) {
  const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
  if (!api) { fprintf(stderr, "AWS_LAMBDA_RUNTIME_API is not set\n"); return 1; }
  static char buf[1 << 20], request[4096];
  struct timespec born;
  clock_gettime(CLOCK_REALTIME, &born);
  long long env = (long long)born.tv_sec * 1000000000LL + born.tv_nsec;
  for (;;) {
    int length = snprintf(request, sizeof request,
        "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", api);
    if (exchange(api, request, (size_t)length, buf, sizeof buf) < 0) { fprintf(stderr, "next failed\n"); return 1; }
    double start = now_ms();
    char id[128] = {0};
    const char *header = strcasestr(buf, "Lambda-Runtime-Aws-Request-Id:");
    if (!header || sscanf(header + 30, " %127[^\r\n]", id) != 1) { fprintf(stderr, "no request id\n"); return 1; }
    const char *body = strstr(buf, "\r\n\r\n");
    const char *release = body ? strstr(body, "\"release\":") : NULL;
    double until = release ? strtod(release + 10, NULL) : 0;
    for (double left = until - now_ms(); left > 0; left = until - now_ms()) {
      struct timespec pause = {(time_t)(left / 1000), (long)((left - (long)(left / 1000) * 1000) * 1e6)};
      nanosleep(&pause, NULL);
    }
    char answer[160];
    int answer_length = snprintf(answer, sizeof answer, "{\"env\":\"%lld\",\"start\":%.3f,\"end\":%.3f}", env, start, now_ms());
    length = snprintf(request, sizeof request,
        "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", id, api, answer_length, answer);
    if (exchange(api, request, (size_t)length, buf, sizeof buf) < 0) { fprintf(stderr, "response failed\n"); return 1; }
  }
}
