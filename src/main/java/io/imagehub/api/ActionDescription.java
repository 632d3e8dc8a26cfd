package io.imagehub.api;

import java.util.List;

/**
 * One action as clients see it (the CLI's commands, help, skeletons and completion, the console's forms, the tests'
 * authorization matrix): its name, a help line, whether it needs X-TC-Region, and its request members as on the wire.
 */
public record ActionDescription(String name, String help, boolean regionRequired, List<Member> members) {

    public Member member(String wireName) {
        return members.stream().filter(m -> m.name().equals(wireName)).findFirst().orElse(null);
    }

    /** A request member: its PascalCase wire name, type and what {@link ApiMember} says of it. */
    public record Member(String name, Type type, boolean required, String help, Integer maxLength, Integer maxItems,
                         Long min, Long max, List<String> allowed) {
    }

    public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, LIST, OBJECT, MAP }

    /**
     * A member's type. {@code element} is set for a LIST, {@code name} and {@code members} for an OBJECT (a nested
     * record, e.g. Filter); a MAP is a free-form JSON object.
     */
    public record Type(Kind kind, String name, Type element, List<Member> members) {

        public boolean scalar() {
            return kind == Kind.STRING || kind == Kind.INTEGER || kind == Kind.FLOAT || kind == Kind.BOOLEAN;
        }

        /** As tccli's help names types: String, Integer, Boolean, Float, Array of Filter, ... */
        public String display() {
            return switch (kind) {
                case STRING -> "String";
                case INTEGER -> "Integer";
                case FLOAT -> "Float";
                case BOOLEAN -> "Boolean";
                case LIST -> "Array of " + element.display();
                case OBJECT -> name;
                case MAP -> "Object";
            };
        }
    }
}
