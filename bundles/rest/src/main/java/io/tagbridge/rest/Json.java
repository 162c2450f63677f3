package io.tagbridge.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The shape of every error answer: {@code {"error": "what is wrong and what to do"}}. */
final class Json {

    private Json() {
    }

    static String error(String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message).toString();
    }
}
