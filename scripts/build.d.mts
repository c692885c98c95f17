/** Types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled). */
export declare const STAMP: string;
export declare const BIN: string;
export declare const INPUTS: readonly string[];
export declare function newestMtime(path: string): number;
export declare function isStale(builtAt: number | undefined, newestInput: number): boolean;
export declare function needsBuild(root: string): boolean;
export declare function markExecutable(file: string): void;
export declare function writeYamlCache(root: string): Promise<void>;
export declare function build(root: string): Promise<number>;
