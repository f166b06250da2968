// Drives AdForge's AG-UI endpoint with the official @ag-ui/client HttpAgent (tests/test_agui_node.py).
// Usage: node agui_flow.mjs <base url> <api key>
// Prints one JSON summary on stdout: per run, the event types seen, the custom card names, the tool
// calls, the state and messages the client folded, the interrupts it holds and any error.
import { HttpAgent } from "@ag-ui/client";

const [base, key] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${key}` };

async function run(agent, parameters = {}) {
  const seen = { types: [], custom: [], tools: [], results: [], text: "", error: null };
  const subscriber = {
    onEvent({ event }) {
      seen.types.push(event.type);
    },
    onCustomEvent({ event }) {
      seen.custom.push(event.name);
    },
    onToolCallStartEvent({ event }) {
      seen.tools.push(event.toolCallName);
    },
    onToolCallResultEvent({ event }) {
      seen.results.push(event.toolCallId);
    },
    onTextMessageContentEvent({ event }) {
      seen.text += event.delta;
    },
    onRunErrorEvent({ event }) {
      seen.error = { code: event.code, message: event.message };
    },
  };
  try {
    await agent.runAgent(parameters, subscriber);
  } catch (error) {
    seen.thrown = String(error && error.message ? error.message : error);
  }
  return {
    ...seen,
    state: agent.state,
    messages: agent.messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: typeof m.content === "string" ? m.content : null,
      toolCalls: (m.toolCalls || []).map((c) => c.function.name),
    })),
    interrupts: agent.pendingInterrupts || [],
  };
}

function user(agent, text) {
  agent.addMessage({ id: `u-${agent.messages.length}-${Date.now()}`, role: "user", content: text });
}

const guided = new HttpAgent({
  url: `${base}/agui/ad_workflow`,
  headers,
  threadId: `agui-node-${Date.now()}`,
  initialState: { productId: "1", mediaType: "video" },
});
user(guided, "Generate ads");
const toPersonas = await run(guided);
const interrupt = toPersonas.interrupts[0];
const badResume = await run(guided, {
  resume: [{ interruptId: interrupt.id, status: "resolved", payload: { optionId: "no-such-persona" } }],
});
const optionId = interrupt.responseSchema.properties.optionId.enum[0];
const resumed = await run(guided, {
  resume: [{ interruptId: interrupt.id, status: "resolved", payload: { optionId } }],
});

const assistant = new HttpAgent({
  url: `${base}/agui/ad_assistant`,
  headers,
  threadId: `agui-node-assistant-${Date.now()}`,
});
const brief = [
  "Hi!",
  "Aurora Cold Brew Concentrate",
  "Clean and minimal",
  "Warm and upbeat",
  "Cafe-quality coffee at home in ten seconds",
];
for (const text of brief) {
  user(assistant, text);
  await run(assistant);
}
user(assistant, "Yes, go ahead");
const saved = await run(assistant);
user(assistant, "Switch to dark mode");
const themed = await run(assistant);

process.stdout.write(
  JSON.stringify({
    guidedThread: guided.threadId,
    assistantThread: assistant.threadId,
    interruptId: interrupt.id,
    optionId,
    toPersonas,
    badResume,
    resumed,
    saved,
    themed,
  }),
);
