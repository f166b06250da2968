// Streams an ad_workflow run with the official JS client, then rejoins it from the middle.
// Usage: node stream_and_rejoin.mjs <base url> <api key>; prints one JSON summary line.
import { Client } from "@langchain/langgraph-sdk";

const [apiUrl, apiKey] = process.argv.slice(2);
const client = new Client({ apiUrl, apiKey });
const thread = await client.threads.create();
const first = [];
for await (const part of client.runs.stream(thread.thread_id, "ad_workflow", {
  input: { product_id: "1", media_type: "video" },
  streamMode: ["values", "updates"],
})) {
  first.push({ event: part.event, id: part.id, data: part.data });
}
const runId = first[0].data.run_id;
const middle = Math.floor(first.length / 2);
const rejoined = [];
for await (const part of client.runs.joinStream(thread.thread_id, runId, {
  lastEventId: first[middle].id,
  streamMode: ["values", "updates"],
})) {
  rejoined.push({ event: part.event, id: part.id, data: part.data });
}
const last = first[first.length - 1].data;
console.log(
  JSON.stringify({
    events: first.map((p) => p.event),
    ids: first.map((p) => p.id),
    rejoinedIds: rejoined.map((p) => p.id),
    middle,
    interrupt: last.__interrupt__ ? last.__interrupt__[0].value.kind : null,
  }),
);
