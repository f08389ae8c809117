// A stand-in for the `vscode` module, enough for activate() to register its providers and commands.
// Anything not modelled explicitly is an inert callable proxy, so new API use does not break the probe.
'use strict';

const inert = () =>
  new Proxy(function inertValue() {}, {
    get: (_target, key) => {
      if (key === 'then') return undefined; // not a thenable: `await inert` must not hang
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* empty() {};
      return inert();
    },
    apply: () => inert(),
    construct: () => inert(),
  });

class Disposable {
  constructor(dispose) {
    this.dispose = dispose ?? (() => {});
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => {
      this.listeners.add(listener);
      return new Disposable(() => this.listeners.delete(listener));
    };
  }
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

const uri = (path, scheme = 'file') => ({ scheme, path, fsPath: path, toString: () => `${scheme}://${path}` });
const Uri = {
  file: (path) => uri(path),
  parse: (text) => uri(text.replace(/^[a-z-]+:\/*/, '/'), text.split(':')[0]),
  joinPath: (base, ...parts) => uri([base.path, ...parts].join('/')),
  from: ({ scheme, path }) => uri(path, scheme),
};

/** The YAML file the extension activates on. */
const yamlText =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: nginx\n';
const yamlDocument = {
  uri: Uri.file('/workspace/pod.yaml'),
  fileName: '/workspace/pod.yaml',
  languageId: 'yaml',
  version: 1,
  isClosed: false,
  lineCount: yamlText.split('\n').length,
  getText: () => yamlText,
  offsetAt: () => 0,
  positionAt: () => ({ line: 0, character: 0 }),
};

const disposableRegistration = () => new Disposable();
const event = () => disposableRegistration;
const configuration = {
  get: (_key, fallback) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: async () => {},
};

const outputChannel = () =>
  new Proxy(
    {},
    {
      get: (_target, key) =>
        key === 'then' ? undefined : key === 'logLevel' ? 2 : key === 'onDidChangeLogLevel' ? event() : () => {},
    },
  );

const modelled = {
  Disposable,
  EventEmitter,
  Uri,
  workspace: {
    getConfiguration: () => configuration,
    textDocuments: [yamlDocument],
    workspaceFolders: undefined,
    isTrusted: true,
    onDidChangeConfiguration: event(),
    onDidOpenTextDocument: event(),
    onDidChangeTextDocument: event(),
    onDidCloseTextDocument: event(),
    onDidSaveTextDocument: event(),
    onDidGrantWorkspaceTrust: event(),
    onDidChangeWorkspaceFolders: event(),
    registerTextDocumentContentProvider: disposableRegistration,
    createFileSystemWatcher: () => ({ onDidCreate: event(), onDidChange: event(), onDidDelete: event(), dispose() {} }),
    findFiles: async () => [],
  },
  window: {
    activeTextEditor: { document: yamlDocument, selection: { active: { line: 0, character: 0 } } },
    visibleTextEditors: [],
    createOutputChannel: outputChannel,
    onDidChangeActiveTextEditor: event(),
    onDidChangeVisibleTextEditors: event(),
  },
  languages: {
    createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {}, get: () => [] }),
  },
  commands: { registerCommand: disposableRegistration, executeCommand: async () => undefined },
  // No other extension installed (the Microsoft Kubernetes extension would make activation load dist/cluster.js).
  extensions: { getExtension: () => undefined, all: [], onDidChange: event() },
};

/** Looks up modelled members first, then falls back to inert proxies (classes, enums, other functions). */
const withFallback = (target, listedNames = []) =>
  new Proxy(target, {
    get: (object, key) => {
      if (key in object) {
        const value = object[key];
        return value && typeof value === 'object' && !Array.isArray(value) && value.constructor === Object
          ? withFallback(value)
          : value;
      }
      if (key === 'then' || key === '__esModule') return undefined;
      return inert();
    },
    // Bundlers copy a CommonJS module's own keys into their ES module wrapper, so the API names must be listed.
    ownKeys: (object) => [...new Set([...Reflect.ownKeys(object), ...listedNames])],
    getOwnPropertyDescriptor: (object, key) =>
      key in object || listedNames.includes(key)
        ? { configurable: true, enumerable: true, writable: true, value: undefined }
        : undefined,
  });

/** Every top-level name of the real `vscode` API, computed by the bench from @types/vscode and passed in. */
const apiNames = (process.env.SA_BENCH_VSCODE_NAMES ?? '').split(',').filter(Boolean);

module.exports = withFallback(modelled, apiNames);
