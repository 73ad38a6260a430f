/**
 * The project layer: one implementation, used by the extension and the command line alike, of
 * where sidecars live, path safety, loading and anchoring, the safe sidecar writer, the import flow
 * and recognition with the workspace's dictionary and corrections.
 */
export * from './files';
export * from './layout';
export * from './project';
export * from './writer';
export * from './load';
export * from './analyze';
export * from './import';
export * from './learning';
export * from './workspace';
