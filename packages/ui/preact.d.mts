/** Module names the web build and the UI tests map from React to Preact. */
export declare const preactAliases: readonly (readonly [name: string, target: string])[]
