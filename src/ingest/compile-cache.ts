/**
 * V8's compiled code of gongkai's modules, kept between runs (Node's module compile cache, in
 * the system's temporary folder): a command and its reading workers start without compiling
 * every module again. Imported before any other module of gongkai's, by the command and by each
 * worker; ignored where Node has no such cache or the folder cannot be written.
 */
import module from 'node:module';

module.enableCompileCache?.();

export {};
