import { AstridError } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../events/json.js';

/**
 * Reads a request's `params` object field by field and refuses anything it
 * was not asked for, so a misspelt option fails loudly instead of being
 * silently ignored.
 */
export class ParamsReader {
  private readonly method: string;
  private readonly params: JsonObject;
  private readonly seen = new Set<string>();

  constructor(method: string, params: Json | undefined) {
    this.method = method;
    if (params === undefined || params === null) this.params = {};
    else if (isJsonObject(params)) this.params = params;
    else throw this.fail('params must be an object');
  }

  private fail(message: string): AstridError {
    return new AstridError('invalid-input', `${this.method}: ${message}`);
  }

  private take(name: string): Json | undefined {
    this.seen.add(name);
    return this.params[name];
  }

  string(name: string): string {
    const v = this.take(name);
    if (typeof v !== 'string') throw this.fail(`${name} is required and must be a string`);
    return v;
  }

  optionalString(name: string): string | undefined {
    const v = this.take(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw this.fail(`${name} must be a string`);
    return v;
  }

  /** Distinguishes absent (undefined) from an explicit null (clear). */
  nullableString(name: string): string | null | undefined {
    const v = this.take(name);
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (typeof v !== 'string') throw this.fail(`${name} must be a string or null`);
    return v;
  }

  strings(name: string, fallback?: string[]): string[] {
    const v = this.take(name);
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw this.fail(`${name} is required and must be a list of strings`);
    }
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      throw this.fail(`${name} must be a list of strings`);
    }
    return v as string[];
  }

  optionalStrings(name: string): string[] | undefined {
    const v = this.take(name);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      throw this.fail(`${name} must be a list of strings`);
    }
    return v as string[];
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.take(name);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw this.fail(`${name} must be true or false`);
    return v;
  }

  optionalBool(name: string): boolean | undefined {
    const v = this.take(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw this.fail(`${name} must be true or false`);
    return v;
  }

  /** A non-negative whole number (u32/u64 fields). */
  count(name: string): number {
    const v = this.take(name);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw this.fail(`${name} is required and must be a whole number ≥ 0`);
    }
    return v;
  }

  optionalCount(name: string): number | undefined {
    const v = this.take(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw this.fail(`${name} must be a whole number ≥ 0`);
    }
    return v;
  }

  optionalObject(name: string): JsonObject | undefined {
    const v = this.take(name);
    if (v === undefined || v === null) return undefined;
    if (!isJsonObject(v)) throw this.fail(`${name} must be an object`);
    return v;
  }

  raw(name: string): Json | undefined {
    return this.take(name);
  }

  /** Call after reading every field: anything left over is an error. */
  done(): void {
    const extra = Object.keys(this.params).filter((k) => !this.seen.has(k));
    if (extra.length > 0) {
      const known = [...this.seen].join(', ') || 'none';
      throw this.fail(
        `unknown parameter${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')} (accepted: ${known})`,
      );
    }
  }
}
