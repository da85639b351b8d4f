/**
 * JSON as Jackson (JVB, Jicofo) writes it. Java keeps Long and Double apart: a Double 1 prints as `1.0`, a Long as
 * `1`. JSON.stringify cannot tell them apart, so floats are wrapped in JDouble and printed Java-style; everything
 * else is plain JSON. Key order is insertion order, as in Jackson's ObjectNode.
 */

export class JDouble {
  constructor(readonly value: number) {}
}

/** A Java Double value (stress, loss, rtt …). */
export const dbl = (value: number): JDouble => new JDouble(value);

export type JavaJson = null | boolean | number | string | JDouble | JavaJson[] | { [key: string]: JavaJson };

/** Double.toString: "0.0", "0.23", "1.0", "1.0E-4", "1.2E7". */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa = "0", exponent = "0"] = x.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${exponent.replace("+", "")}`;
}

export function toJavaJson(value: JavaJson): string {
  if (value === null) return "null";
  if (value instanceof JDouble) {
    // Jackson's default QUOTE_NON_NUMERIC_NUMBERS writes NaN/Infinity as strings.
    return Number.isFinite(value.value) ? javaDoubleToString(value.value) : `"${javaDoubleToString(value.value)}"`;
  }
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      // A Long: counters are accumulated as floats in the model, the wire carries whole numbers.
      return Number.isFinite(value) ? String(Math.trunc(value)) : "0";
    case "string":
      return JSON.stringify(value);
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map(toJavaJson).join(",")}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${toJavaJson(v)}`);
  return `{${parts.join(",")}}`;
}
