// Starts `gsc lsp` for gslang files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("gslang");
  const command = config.get("server.path") || "gsc";
  client = new LanguageClient(
    "gslang",
    "gslang",
    { command, args: ["lsp"] },
    {
      documentSelector: [{ language: "gslang" }],
      initializationOptions: { includeDirs: config.get("includeDirs") || [] },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
