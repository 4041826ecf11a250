package simchat.rendezvous;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Fresh room codes that are easy to read out over the phone: a number and two words, e.g.
 * {@code 7-amber-falcon}; about four million combinations.
 */
final class RoomCodes {

    private static final String[] ADJECTIVES = ("""
            able acid agile alert amber ample angry apt arctic ashen
            azure baked bald bare basic beige best big bitter black
            bland blond blue bold bony brave brief bright brisk broad
            brown bumpy busy calm candid caring cheap chief chilly civil
            clean clear clever close cloudy coarse cold cool coral cosmic
            cozy crisp cubic curly cute daily damp dark dear deep
            dense dizzy dry dual dusty eager early easy elder empty
            epic equal even exact extra faint fair false fancy fast
            fine firm first fit flat fluffy fond free fresh frosty
            full fuzzy gentle giant glad glossy golden good grand gray
            great green happy hardy hasty heavy hidden high hollow holy
            honest huge humble icy ideal idle inner iron ivory jade
            jolly juicy keen kind large last late lazy lean level
            light lime little live lively local lone long loud lucky
            lunar magic major mellow merry mild minor misty modern moist
            muddy narrow near neat new nice noble north novel odd
            olive open orange outer pale patient pink plain plum polar
            polite proud pure purple quick quiet rapid rare raw ready
            red regal rich right rigid ripe rosy rough round royal
            ruby rural rusty sad safe salty sandy sharp shiny short
            shy silent silky silver simple slim slow small smart smooth
            snowy soft solar solid south spare spicy stable steady steep
            still stone stormy strong sunny super sweet swift tall tame
            tan teal tender tidy tiny top tough true upper urban
            valid vast velvet violet vital vivid warm wavy west white
            whole wide wild windy wise witty woody young zesty""").split("\\s+");

    private static final String[] NOUNS = ("""
            acorn anchor ant apple apron arrow aspen badge badger bagel
            bamboo banjo barn basil bay beach beacon bean bear beaver
            bee bell berry bison blossom boat bobcat brook bubble bucket
            buffalo cabin cactus camel canal candle canoe canyon cape cargo
            carrot castle cedar cello chalk cherry cliff clock cloud clover
            cobra comet compass coral cotton cougar coyote crane crater creek
            cricket crow crystal cup daisy deer delta desert dingo dolphin
            donkey dove dragon drum dune eagle echo eel elk ember
            falcon fawn fern ferry fig finch fjord flame flute fox
            frog galaxy garden gecko geyser ginger glacier goat goose grape
            gull harbor hare hawk hazel heron hill hippo honey horizon
            horse iris island ivy jackal jaguar jasmine jelly kayak kettle
            kiwi koala lagoon lake lantern lark lemon lemur lily lion
            lizard llama lobster lotus lynx magnet mango maple marble meadow
            melon meteor mint mole moon moose moss moth mountain mule
            nebula nectar newt oak oasis ocean octopus olive onion orbit
            orca osprey otter owl oyster palm panda panther parrot peach
            pear pebble pelican penguin pepper piano pine planet plum pony
            poppy prairie puffin puma quail quartz rabbit raccoon radish rain
            raven reef rhino river robin rocket rose saddle salmon sparrow
            seal shark sheep shell sloth snail spruce squid star stork
            swan tiger toad tulip tundra turtle valley violin walnut walrus
            whale willow wolf wombat yak zebra""").split("\\s+");

    private static final int MAX_NUMBER = 99;

    private final Random random;

    RoomCodes() {
        this(new SecureRandom());
    }

    RoomCodes(Random random) {
        this.random = random;
    }

    /** How many different codes there are. */
    static long combinations() {
        return (long) MAX_NUMBER * ADJECTIVES.length * NOUNS.length;
    }

    /**
     * A random code for which {@code taken} is false.
     *
     * @throws IllegalStateException if a hundred random codes in a row were taken
     */
    String next(Predicate<String> taken) {
        // Bounded: with millions of codes a collision streak this long means the space is full.
        for (int attempt = 0; attempt < 100; attempt++) {
            String code = (1 + random.nextInt(MAX_NUMBER)) + "-"
                    + ADJECTIVES[random.nextInt(ADJECTIVES.length)] + "-"
                    + NOUNS[random.nextInt(NOUNS.length)];
            if (!taken.test(code)) {
                return code;
            }
        }
        throw new IllegalStateException("no free room code after 100 attempts");
    }
}
