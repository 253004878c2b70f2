#!/usr/bin/python3
# Writes 150 KB of lines and answers on an already open connection right after: the lines must all land before END.
import os
import socket

api = os.environ["AWS_LAMBDA_RUNTIME_API"]
host, port = api.split(":")
connection = socket.create_connection((host, int(port)))
reader = connection.makefile("rb")


def request(method, path, body=b""):
    connection.sendall(f"{method} {path} HTTP/1.1\r\nHost: {api}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    reader.readline()
    headers = {}
    while True:
        line = reader.readline()
        if line in (b"\r\n", b""):
            break
        name, value = line.decode().split(":", 1)
        headers[name.strip().lower()] = value.strip()
    return headers, reader.read(int(headers.get("content-length", "0")))


burst = b"".join(b"line %d of a burst written right before the response\n" % i for i in range(1, 3001))
while True:
    headers, event = request("GET", "/2018-06-01/runtime/invocation/next")
    os.write(1, burst)
    request("POST", f"/2018-06-01/runtime/invocation/{headers['lambda-runtime-aws-request-id']}/response", event)
