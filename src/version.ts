/** gongkai's version, as the CLI, SARIF output and the server's health check report it. */
export const VERSION = '0.1.0';
