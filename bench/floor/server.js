// The floor: bench/peer/handler.js answering a direct loopback HTTP request with no platform in between.
// Any POST path works, so the benchmark's Lambda client calls it like Kindling and the peer.
// Usage: node server.js PORT (prints "floor listening on PORT" when ready).
const http = require("http");
const { handler } = require("../peer/handler.js");

const port = Number(process.argv[2] || 3010);
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    const text = Buffer.concat(chunks).toString("utf8");
    const result = await handler(text.length ? JSON.parse(text) : {}, {});
    const body = JSON.stringify(result === undefined ? null : result);
    response.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, "127.0.0.1", () => console.log(`floor listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
