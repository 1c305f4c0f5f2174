import { describe, expect, it } from 'vitest';
import { corsOriginProblem } from './cors-origin.js';

describe('corsOriginProblem (spec §1.1 table)', () => {
  it.each([
    'https://app.example',
    'http://localhost:5173',
    'https://xn--pp-eka.example',
    'http://127.0.0.1:8080',
    'http://[::1]:3000',
  ])('accepts %s', (origin) => {
    expect(corsOriginProblem(origin)).toBeNull();
  });

  it.each([
    ['https://app.example/', /must not end with '\/'/],
    ['https://app.example/dashboard', /must not have a path/],
    ['ftp://files.x', /only http and https/],
    ['not-a-url', /not a valid URL/],
    ['https://user:pass@app.example', /user info/],
    ['https://äpp.example', /ASCII \(punycode\) form: "https:\/\/xn--/],
    ['https://app.example?x=1', /query or fragment/],
    ['https://app.example#top', /query or fragment/],
    ['https://App.example', /exactly as the origin/],
    ['https://app.example:443', /exactly as the origin/],
    ['file:///etc/passwd', /only http and https/],
  ])('rejects %s', (origin, message) => {
    expect(corsOriginProblem(origin)).toMatch(message);
  });
});
