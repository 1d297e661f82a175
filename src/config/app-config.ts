import { SecuritySettings } from './settings/security.settings';

/**
 * Every setting Baton reads, validated once at boot. The property names are the environment
 * variable names so that a validation error names exactly what the operator has to fix.
 *
 * The settings are declared by role in ./settings, one class per role, stacked by inheritance
 * (server, observability, storage, messaging, engine, security): class-validator and
 * class-transformer read decorators up the prototype chain, so the stack validates as one flat
 * class while every role stays a small file, and every consumer keeps reading `config.PORT`.
 */
export class AppConfig extends SecuritySettings {}
