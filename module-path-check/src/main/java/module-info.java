/**
 * The module-path check of the published jars (see {@link dev.asyncio.modulepath.ModulePathCheck}). It
 * requires only the bridge, test and Spring modules, never {@code dev.asyncio} or the libraries they
 * build on directly: that it compiles against their types, and reads their modules at run time, is the
 * test of the {@code requires transitive} clauses.
 */
module dev.asyncio.modulepath {
    requires dev.asyncio.reactor;
    requires dev.asyncio.rxjava3;
    requires dev.asyncio.test;
    requires dev.asyncio.spring;
}
