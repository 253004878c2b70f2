// The benchmark's Node.js handler: Kindling (nodejs20.x), the peer (serverless-offline) and the floor (plain
// node http) all serve this file, unchanged. It echoes the event.
exports.handler = async (event) => event;
